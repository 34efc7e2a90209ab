//! Federation settings (office): the letterhead on member statements and whether members
//! see each other by name in comparisons.

use verbund_domain::authz::{Actor, Permission, Scope, SystemAccess};
use verbund_domain::settings::FederationSettings;
use verbund_reports::Letterhead;
use verbund_store::{AuditActor, Federation};

use crate::Services;
use crate::error::Result;

async fn federation(st: &Services) -> Result<Federation> {
    crate::federation(&st.store).await
}

/// The settings (office).
pub async fn get(st: &Services, actor: &Actor) -> Result<FederationSettings> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.settings(federation(st).await?.id).await?)
}

/// Replaces the settings (office, federation management).
pub async fn save(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    s: FederationSettings,
) -> Result<FederationSettings> {
    actor.check_office(Permission::ManageFederation)?;
    let s = s.validated()?;
    st.store
        .save_settings(by, federation(st).await?.id, &s)
        .await?;
    Ok(s)
}

/// The letterhead printed on statements: the settings, falling back to the office
/// organisation's name and address. Read without an actor: callers have authorized the
/// document it goes on.
pub async fn letterhead(st: &Services, fed: &Federation) -> Result<Letterhead> {
    let s = st.store.settings(fed.id).await?;
    let office = st
        .store
        .get_org(
            // Every member's letter carries the office's name and address.
            &Scope::system(&SystemAccess::for_reason("the office's letterhead")),
            fed.office_org_id,
        )
        .await?;
    Ok(Letterhead {
        office_name: s.letterhead_office_name.unwrap_or(office.name),
        office_address: s.letterhead_address.or(office.address),
        federation_name: fed.name.clone(),
        signer: s.signer_name.map(|name| verbund_domain::costs::Signer {
            name,
            role: s.signer_role,
        }),
        contact: s.letterhead_contact,
        logo: crate::branding::for_document(st, fed, None).await?,
    })
}
