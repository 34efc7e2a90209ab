//! Demo risks: for the servers of Nauheim, Raunheim and the Kreis whose protection need is
//! high, a few elementary threats rated before and after treatment — one reduced with a measure,
//! one accepted by the member's management, one still open. Ratings are illustrative.

use verbund_domain::authz::Scope;
use verbund_domain::page::PageRequest;
use verbund_domain::risk::RawRisk;
use verbund_domain::structure::ObjectType;
use verbund_domain::structure::model::ObjectFilter;
use verbund_store::{AuditActor, Store, StoreError};

use super::SYSTEM;

fn rating(
    f: &str,
    i: &str,
    after: Option<(&str, &str)>,
    t: Option<&str>,
    why: &str,
) -> Result<verbund_domain::risk::RiskInput, StoreError> {
    RawRisk {
        frequency: Some(f.into()),
        impact: Some(i.into()),
        frequency_after: after.map(|a| a.0.into()),
        impact_after: after.map(|a| a.1.into()),
        treatment: t.map(Into::into),
        justification: Some(why.into()),
        revision: None,
    }
    .validate(true)
    .map_err(StoreError::Invalid)
}

/// Seeds the demo risks (after the structure analysis).
pub async fn seed(store: &Store) -> Result<(), StoreError> {
    let by = AuditActor::system();
    let all = Scope::system(&SYSTEM);
    let threats = store.list_threats().await?;
    let threat = |code: &str| threats.iter().find(|t| t.code == code).map(|t| t.id);
    let orgs = store
        .list_orgs(&all, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items;
    for name in ["Nauheim", "Raunheim", "Kreis Groß-Gerau"] {
        let Some(org) = orgs.iter().find(|o| o.name == name) else {
            continue;
        };
        let filter = ObjectFilter {
            org: Some(org.id),
            object_type: Some(ObjectType::Server),
            ..ObjectFilter::default()
        };
        let servers = store
            .list_structure_objects(&all, &filter, PageRequest::new(Some(1), Some(50)))
            .await?
            .items;
        let Some(server) = servers.into_iter().find(|o| {
            [
                o.effective.confidentiality,
                o.effective.integrity,
                o.effective.availability,
            ]
            .iter()
            .any(|c| {
                matches!(
                    c,
                    Some(
                        verbund_domain::structure::Category::High
                            | verbund_domain::structure::Category::VeryHigh
                    )
                )
            })
        }) else {
            continue;
        };
        let plan = [
            (
                "G 0.39",
                rating(
                    "haeufig",
                    "existenzbedrohend",
                    Some(("mittel", "betraechtlich")),
                    Some("reduzieren"),
                    "Verschlüsselungstrojaner legen Verwaltungen wochenlang lahm; Offline-Sicherung und Härtung senken Häufigkeit und Schaden.",
                )?,
            ),
            (
                "G 0.25",
                rating(
                    "mittel",
                    "betraechtlich",
                    None,
                    None,
                    "Der Server ist ein Einzelgerät ohne Ersatz.",
                )?,
            ),
            (
                "G 0.8",
                rating(
                    "selten",
                    "betraechtlich",
                    None,
                    None,
                    "Kurze Stromausfälle überbrückt die USV.",
                )?,
            ),
        ];
        let mut created = Vec::new();
        for (code, input) in plan {
            if let Some(t) = threat(code) {
                created.push(store.create_risk(&by, &all, server.id, t, &input).await?);
            }
        }
        if let Some(first) = created.first() {
            let m = store
                .seed_measure(
                    &verbund_domain::authz::SystemAccess::for_reason("demo data"),
                    org.id,
                    None,
                    "Offline-Datensicherung einführen",
                    None,
                    "offen",
                )
                .await?;
            store
                .link_risk_measure(&by, &all, first.id, m, true)
                .await?;
        }
        let approver = store.risk_approvers(&all, org.id).await?.into_iter().next();
        if let (Some(r), Some((boss, _))) = (created.get(2), approver) {
            let input = rating(
                "selten",
                "betraechtlich",
                None,
                Some("akzeptieren"),
                "Die USV überbrückt kurze Ausfälle; ein Notstromaggregat lohnt sich nicht.",
            )?;
            store
                .update_risk(&by, &all, r.id, None, &input, Some((boss, "2027-06-30")))
                .await?;
        }
    }
    Ok(())
}
