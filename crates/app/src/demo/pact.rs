//! Demo crisis pact: Nauheim, Raunheim and Rüsselsheim am Main with approximate town-hall
//! coordinates, a few people, remote support and devices in each registry, a short alarm chain
//! each, and one closed exercise with timeline, help request, accepted loan and lessons learned.

use verbund_domain::authz::Scope;
use verbund_domain::pact::{Coordinates, EntryKind, LoanStatus, RawRequest, RawResource, Severity};
use verbund_domain::page::PageRequest;
use verbund_domain::{FederationId, OrgId};
use verbund_store::{
    AuditActor, ContactFields, CrisisFields, LoanDecision, PactFields, Store, StoreError,
};

use super::SYSTEM;

fn resource(
    kind: &str,
    name: &str,
    skills: &[&str],
    equipment: Option<(&str, i64)>,
    location: &str,
    phone: Option<&str>,
) -> Result<verbund_domain::pact::ResourceInput, StoreError> {
    RawResource {
        kind: Some(kind.into()),
        name: Some(name.into()),
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        equipment_type: equipment.map(|e| e.0.into()),
        count: equipment.map(|e| e.1),
        location: Some(location.into()),
        phone: phone.map(Into::into),
        ..RawResource::default()
    }
    .validate()
    .map_err(StoreError::Invalid)
}

/// Seeds the demo pact (after the federation).
pub async fn seed(store: &Store, fed: FederationId) -> Result<(), StoreError> {
    let by = AuditActor::system();
    let all = Scope::system(&SYSTEM);
    let orgs = store
        .list_orgs(&all, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items;
    let find = |name: &str| orgs.iter().find(|o| o.name == name).map(|o| o.id);
    let (Some(nauheim), Some(raunheim), Some(ruesselsheim)) = (
        find("Nauheim"),
        find("Raunheim"),
        find("Rüsselsheim am Main"),
    ) else {
        return Ok(());
    };
    let pact = store
        .save_pact(
            &by,
            fed,
            None,
            &PactFields {
                name: "Pakt für Cyberresilienz Mainspitze".into(),
                description: Some("Gegenseitige Hilfe bei IT-Krisen: Personal, Fernunterstützung und Ersatzgeräte (Demo).".into()),
                declare_rule: verbund_domain::pact::DeclareRule::CoordinatorOrManagement,
                webhook_url: None,
            },
        )
        .await?;
    let members: [(OrgId, f64, f64, &str); 3] = [
        (nauheim, 49.9417, 8.4550, "nauheim"),
        (raunheim, 50.0097, 8.4528, "raunheim"),
        (ruesselsheim, 49.9929, 8.4119, "ruesselsheim-am-main"),
    ];
    for (org, lat, lon, _) in members {
        store
            .set_pact_member(
                &by,
                pact.id,
                org,
                false,
                Some(Coordinates { lat, lon }),
                false,
            )
            .await?;
    }
    let entries = [
        (
            nauheim,
            resource(
                "person",
                "IT-Bereitschaft Nauheim",
                &["windows_ad", "network"],
                None,
                "Rathaus Nauheim",
                Some("06152 0000-100"),
            )?,
        ),
        (
            nauheim,
            resource(
                "equipment",
                "Leihnotebooks",
                &[],
                Some(("notebook", 5)),
                "Rathaus Nauheim, Serverraum",
                None,
            )?,
        ),
        (
            raunheim,
            resource(
                "person",
                "Sicherheitsteam Raunheim",
                &["firewall", "forensics"],
                None,
                "Rathaus Raunheim",
                Some("06142 0000-200"),
            )?,
        ),
        (
            raunheim,
            resource(
                "remote_support",
                "Fernwartung Datensicherung",
                &["backup_restore"],
                None,
                "Raunheim",
                None,
            )?,
        ),
        (
            ruesselsheim,
            resource(
                "equipment",
                "Ersatz-Arbeitsplätze",
                &[],
                Some(("workstation", 20)),
                "Rüsselsheim, Lager Bauhof",
                None,
            )?,
        ),
        (
            ruesselsheim,
            resource(
                "person",
                "Pressestelle Rüsselsheim",
                &["crisis_communication"],
                None,
                "Rathaus Rüsselsheim",
                Some("06142 0000-300"),
            )?,
        ),
    ];
    for (org, r) in &entries {
        store
            .save_pact_resource(&by, &all, *org, None, Some(r))
            .await?;
    }
    for (org, _, _, slug) in members {
        for (name, function, mobile) in [
            ("IT-Leitung", "Leitung IT", "0170 0000001"),
            ("Bürgermeisteramt", "Verwaltungsspitze", "0170 0000002"),
        ] {
            store
                .add_pact_contact(
                    &by,
                    &all,
                    org,
                    &ContactFields {
                        name: name.into(),
                        function: Some(function.into()),
                        phone: None,
                        mobile: Some(mobile.into()),
                        email: Some(format!("koordination@{slug}.example")),
                    },
                )
                .await?;
        }
    }
    // One closed exercise.
    let c = store
        .declare_pact_crisis(
            &by,
            &all,
            pact.id,
            nauheim,
            &CrisisFields {
                severity: Severity::High,
                affected_services: "Fachverfahren Meldewesen, E-Mail".into(),
                summary: "Übungsszenario: Verschlüsselungstrojaner auf den Dateiservern, Meldewesen nicht erreichbar.".into(),
                exercise: true,
                first_entry: "ÜBUNG – Krise ausgerufen (high): Fachverfahren Meldewesen, E-Mail".into(),
            },
        )
        .await?;
    store
        .add_pact_entry(
            &by,
            &all,
            &all,
            c.id,
            nauheim,
            EntryKind::Log,
            "Netz der Verwaltung vom Internet getrennt.",
            None,
        )
        .await?;
    let req = RawRequest {
        need_kind: Some("equipment".into()),
        need: Some("workstation".into()),
        count: Some(8),
        location: Some("Rathaus Nauheim".into()),
        ..RawRequest::default()
    }
    .validate()
    .map_err(StoreError::Invalid)?;
    let q = store
        .add_pact_request(
            &by,
            &all,
            &all,
            c.id,
            nauheim,
            &req,
            "Hilfeersuchen: 8 × workstation",
        )
        .await?;
    let (resources, _) = store.member_registry(&all, ruesselsheim).await?;
    if let Some(ws) = resources.iter().find(|r| r.equipment_type.is_some()) {
        let loan = store
            .ask_pact_loan(&by, &all, &all, q.id, ws.id, &|n: &str, o: &str| {
                format!("Angefragt: {n} ({o})")
            })
            .await?;
        store
            .decide_pact_loan(
                &by,
                &all,
                &all,
                loan.id,
                &LoanDecision {
                    status: LoanStatus::Accepted,
                    hours: Some(6.0),
                    cost_cents: Some(48_000),
                    note: Some("Transport durch den Bauhof".into()),
                },
                "Zusage für eine Anfrage",
            )
            .await?;
    }
    store
        .close_pact_crisis(&by, &all, &all, c.id, Some("Alarmkette funktionierte; die Leihgeräte brauchten zu lange für die Anmeldung am Verzeichnisdienst – vorbereitete Images anlegen."), "ÜBUNG – Krise beendet")
        .await?;
    Ok(())
}
