//! Demo advisory: an invented firewall ("Beispiel Networks Sicherheitsgateway") in Nauheim's
//! inventory and the self-made advisory VERBUND-DEMO-2026-0001 that names its version range,
//! so Nauheim's coordinator finds one open critical warning and the office sees it on its
//! dashboard. Vendor, product and advisory are made up.

use verbund_domain::authz::Scope;
use verbund_domain::page::PageRequest;
use verbund_domain::structure::RawObject;
use verbund_store::{AuditActor, Federation, Store, StoreError};

use super::SYSTEM;

/// The advisory the demo imports (also a fixture of the parser tests).
pub const DEMO_ADVISORY: &[u8] =
    include_bytes!("../../../formats/fixtures/csaf/verbund-demo-2026-0001.json");

/// Seeds the firewall and imports the advisory (after the structure analysis).
pub async fn seed(store: &Store, fed: &Federation) -> Result<(), StoreError> {
    let by = AuditActor::system();
    let all = Scope::system(&SYSTEM);
    let orgs = store
        .list_orgs(&all, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items;
    let Some(nauheim) = orgs.iter().find(|o| o.name == "Nauheim") else {
        return Ok(());
    };
    let firewall = RawObject {
        short_id: "N-FW1".into(),
        name: "Firewall Rathaus".into(),
        object_type: "network_component".into(),
        vendor: Some("Beispiel Networks".into()),
        product: Some("Sicherheitsgateway".into()),
        version: Some("7.1.0".into()),
        ..RawObject::default()
    }
    .validate()
    .map_err(StoreError::Invalid)?;
    store
        .create_structure_object(&by, &all, nauheim.id, &firewall)
        .await?;
    let parsed = verbund_formats::csaf::parse(DEMO_ADVISORY, "verbund-demo-2026-0001.json")
        .map_err(|e| StoreError::Backup(e.to_string()))?;
    let (objects, dependents) = store.advisory_inventory_federation_wide(&all).await?;
    let today = verbund_domain::localtime::berlin_date(verbund_store::now_ms());
    let (warnings, suppressed) =
        crate::advisories::warnings_by_member(today, &parsed.advisory, &objects, &dependents);
    let document =
        serde_json::to_string(&parsed.document).map_err(|e| StoreError::Backup(e.to_string()))?;
    store
        .save_advisory(
            &by,
            &all,
            fed.id,
            &parsed.advisory,
            &document,
            &[],
            &warnings,
            &suppressed,
        )
        .await?;
    Ok(())
}
