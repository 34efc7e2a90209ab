//! The structure analysis of every generated member (`demo --scale N`): 20 objects — three
//! processes, four applications, servers, clients, network, rooms and building — whose
//! registration application and WAN line rely on the demo provider's hosted registration
//! procedure (`KRZ-EWO`), so one provider object is shared by every generated member, as a
//! state IT provider's procedure is shared nationwide. Needs vary by member.

use verbund_domain::StructureObjectId;
use verbund_domain::authz::Scope;
use verbund_domain::structure::model::ObjectFilter;
use verbund_domain::structure::{Category, Goal, LinkType, RawObject};
use verbund_domain::{OrgId, page::PageRequest};
use verbund_store::{AuditActor, GeneratedNeed, Store, StoreError, StructureTemplate};

use super::Rng;

/// Short id of the demo provider's object every generated member relies on.
pub const SHARED_SHORT_ID: &str = "KRZ-EWO";

/// Objects per generated member.
pub const OBJECTS_PER_MEMBER: usize = 20;

/// (short id, name, type, count) of the generated objects, in template order.
const OBJECTS: [(&str, &str, &str, i64); OBJECTS_PER_MEMBER] = [
    ("GP-MELD", "Meldewesen", "business_process", 1),
    ("GP-FIN", "Finanzwesen", "business_process", 1),
    ("GP-BAU", "Bauantragsverfahren", "business_process", 1),
    ("A-EWO", "Einwohnerwesen (Anbindung KRZ)", "application", 1),
    ("A-FIN", "Finanzsoftware", "application", 1),
    ("A-BAU", "Bauantragssoftware", "application", 1),
    ("A-DMS", "Dokumentenmanagement", "application", 1),
    ("S-01", "Datei- und DMS-Server", "server", 1),
    ("S-02", "Anwendungsserver", "server", 1),
    ("S-03", "Verzeichnisdienst", "server", 1),
    ("S-04", "Sicherungsserver", "server", 1),
    ("C-01", "Arbeitsplatzrechner", "client", 25),
    ("C-02", "Notebooks", "mobile_device", 6),
    ("C-03", "Bürgerbüro-Terminals", "client", 3),
    ("N-01", "Verwaltungsnetz", "network", 1),
    ("N-02", "Firewall", "network_component", 1),
    ("K-01", "Anbindung Verbindungsnetz", "communication_link", 1),
    ("R-01", "Serverraum", "room", 1),
    ("R-02", "Büroräume", "room", 1),
    ("B-01", "Rathaus", "building", 1),
];

/// The template: links as in a small town hall; `A-EWO` and `K-01` rely on the shared object.
pub fn template() -> Result<StructureTemplate, StoreError> {
    use LinkType::*;
    let objects = OBJECTS
        .iter()
        .map(|(short, name, t, count)| {
            RawObject {
                short_id: (*short).into(),
                name: (*name).into(),
                object_type: (*t).into(),
                count: Some(count.to_string()),
                ..RawObject::default()
            }
            .validate()
            .map_err(StoreError::Invalid)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let links = vec![
        (3, 0, ProcessesDataOf),
        (4, 1, ProcessesDataOf),
        (5, 2, ProcessesDataOf),
        (6, 1, ProcessesDataOf),
        (6, 2, ProcessesDataOf),
        (4, 8, RunsOn),
        (5, 8, RunsOn),
        (6, 7, RunsOn),
        (7, 17, LocatedIn),
        (8, 17, LocatedIn),
        (9, 17, LocatedIn),
        (10, 17, LocatedIn),
        (11, 18, LocatedIn),
        (13, 18, LocatedIn),
        (17, 19, LocatedIn),
        (18, 19, LocatedIn),
        (7, 14, CommunicatesOver),
        (8, 14, CommunicatesOver),
        (9, 14, CommunicatesOver),
        (10, 14, CommunicatesOver),
        (11, 14, CommunicatesOver),
        (12, 14, CommunicatesOver),
        (13, 14, CommunicatesOver),
        (14, 15, CommunicatesOver),
        (15, 16, CommunicatesOver),
    ];
    Ok(StructureTemplate {
        objects,
        links,
        shared_links: vec![(3, ProvidedBy), (16, ProvidedBy)],
    })
}

/// The needs one generated member sets on its three processes: mostly normal and high, now
/// and then very high (an election year, a large building authority).
pub(super) fn needs(rng: &mut Rng) -> Vec<GeneratedNeed> {
    use Category::*;
    let mut pick = |high: f64, very_high: f64| {
        let u = rng.unit();
        if u < very_high {
            VeryHigh
        } else if u < very_high + high {
            High
        } else {
            Normal
        }
    };
    vec![
        (
            0,
            Goal::Confidentiality,
            High,
            "Personenbezogene Daten aller Einwohner.",
        ),
        (
            0,
            Goal::Integrity,
            High,
            "Falsche Meldedaten wirken auf Wahlen und Ausweise.",
        ),
        (
            0,
            Goal::Availability,
            pick(0.3, 0.05),
            "Ausfall mit Terminverschiebungen tragbar oder nicht (generiert).",
        ),
        (
            1,
            Goal::Confidentiality,
            Normal,
            "Haushaltsdaten sind überwiegend öffentlich.",
        ),
        (
            1,
            Goal::Integrity,
            pick(0.6, 0.1),
            "Fehlbuchungen hätten finanzielle Folgen (generiert).",
        ),
        (
            1,
            Goal::Availability,
            Normal,
            "Notbuchungen überbrücken einen Ausfall.",
        ),
        (
            2,
            Goal::Confidentiality,
            pick(0.5, 0.0),
            "Bauanträge enthalten personenbezogene Angaben (generiert).",
        ),
        (
            2,
            Goal::Integrity,
            High,
            "Genehmigungen müssen rechtssicher sein.",
        ),
        (
            2,
            Goal::Availability,
            Normal,
            "Fristen erlauben einen Ausfall von einigen Tagen.",
        ),
    ]
}

/// The demo provider's object every generated member relies on, if the demo was seeded.
pub async fn shared_object(store: &Store) -> Result<Option<StructureObjectId>, StoreError> {
    let filter = ObjectFilter {
        providers_only: true,
        search: Some(SHARED_SHORT_ID.to_lowercase()),
        ..ObjectFilter::default()
    };
    let page = store
        .list_structure_objects(
            &Scope::system(&super::SYSTEM),
            &filter,
            PageRequest::new(Some(1), Some(10)),
        )
        .await?;
    Ok(page
        .items
        .into_iter()
        .find(|o| o.short_id == SHARED_SHORT_ID)
        .map(|o| o.id))
}

/// Gives `orgs` their structure analyses (one store call per chunk).
pub(super) async fn generate(
    store: &Store,
    shared: StructureObjectId,
    orgs: &[OrgId],
    rng: &mut Rng,
) -> Result<usize, StoreError> {
    let template = template()?;
    let members: Vec<(OrgId, Vec<GeneratedNeed>)> = orgs.iter().map(|o| (*o, needs(rng))).collect();
    store
        .generate_structures(&AuditActor::system(), shared, &template, &members)
        .await
}
