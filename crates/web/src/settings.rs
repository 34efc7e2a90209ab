//! Federation settings (office): the letterhead on member statements and whether members
//! see each other by name in comparisons.

use verbund_domain::authz::{Actor, Permission, Scope};
use verbund_domain::settings::FederationSettings;
use verbund_reports::Letterhead;
use verbund_store::{AuditActor, Federation};

use crate::AppState;
use crate::error::{AppError, AppResult};

async fn federation(st: &AppState) -> AppResult<Federation> {
    st.store.federation().await?.ok_or(AppError::NotFound)
}

/// The settings (office).
pub async fn get(st: &AppState, actor: &Actor) -> AppResult<FederationSettings> {
    actor.check_office(Permission::ReadCosts)?;
    Ok(st.store.settings(federation(st).await?.id).await?)
}

/// Replaces the settings (office, federation management).
pub async fn save(
    st: &AppState,
    by: &AuditActor,
    actor: &Actor,
    s: FederationSettings,
) -> AppResult<FederationSettings> {
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
pub async fn letterhead(st: &AppState, fed: &Federation) -> AppResult<Letterhead> {
    let s = st.store.settings(fed.id).await?;
    let office = st.store.get_org(&Scope::All, fed.office_org_id).await?;
    Ok(Letterhead {
        office_name: s.letterhead_office_name.unwrap_or(office.name),
        office_address: s.letterhead_address.or(office.address),
        federation_name: fed.name.clone(),
        contact: s.letterhead_contact,
    })
}
