//! Generated data at scale for load tests and benchmarks: thousands of members (real names,
//! AGS and populations from the Destatis municipality list where available), a synthetic
//! self-worded catalog, and an assessment with random answers for every member, written
//! with the store's bulk calls (one transaction and one audit entry per chunk).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use verbund_domain::OrgId;
use verbund_domain::assessment::Answer;
use verbund_domain::catalog::{Catalog, CatalogNode, ImplementationGroup, SourceFormat};
use verbund_domain::org::{MembershipInput, OrgInput, OrgKind};
use verbund_store::{AuditActor, Store};

use super::Rng;
use super::assessments::Profile;
use crate::error::{Error, Result};

/// Number of topics of the synthetic catalog.
pub const TOPICS: usize = 20;

/// Members per `generate_members` call (one transaction, one audit entry each).
const MEMBER_CHUNK: usize = 1000;
/// Members per `generate_assessments` call.
const ASSESSMENT_CHUNK: usize = 100;
/// Members per `generate_structures` call (20 objects each).
const STRUCTURE_CHUNK: usize = 500;

const TOPIC_NAMES: [&str; TOPICS] = [
    "Organisation",
    "Personal",
    "Sensibilisierung",
    "Datensicherung",
    "Updates",
    "Zugänge",
    "E-Mail",
    "Netz",
    "Fernzugriff",
    "Arbeitsplätze",
    "Server",
    "Räume",
    "Notfälle",
    "Dienstleister",
    "Protokollierung",
    "Schadsoftware",
    "Internetauftritt",
    "Fachverfahren",
    "Drucker",
    "Dokumentation",
];

/// What to generate.
#[derive(Debug, Clone)]
pub struct ScaleOptions {
    /// Number of members to add.
    pub members: usize,
    /// Assessable requirements of the synthetic catalog.
    pub catalog_items: usize,
    /// The municipality list (`gemeinden.csv`); without it (or if unreadable) names are
    /// synthesised ("Gemeinde 00001").
    pub gemeinden_csv: Option<std::path::PathBuf>,
    /// Seed of the random answers.
    pub seed: u64,
}

/// Progress while generating.
#[derive(Debug, Clone)]
pub enum Event {
    /// Something the operator should know (e.g. the municipality list is missing).
    Note(String),
    /// Members created so far, of the total.
    Members(usize, usize),
    /// Assessments created so far, of the total.
    Assessments(usize, usize),
    /// Members with a structure analysis so far, of the total.
    Structures(usize, usize),
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct ScaleReport {
    /// Members named after a real municipality.
    pub from_list: usize,
    /// Members with a synthesised name.
    pub synthesised: usize,
    /// The synthetic catalog revision.
    pub catalog_id: i64,
    /// Assessments created.
    pub assessments: usize,
    /// Answer rows created.
    pub answers: usize,
    /// Target objects created (20 per member; none without the demo provider).
    pub structure_objects: usize,
}

/// The synthetic catalog: `items` assessable requirements spread evenly over (at most) 20
/// topics in document order, priorities P1–P3 in turn. Self-worded placeholder text.
pub fn synthetic_catalog(items: usize) -> Catalog {
    let urn = format!("urn:verbund:synthetic:{items}");
    let topics = TOPICS.min(items.max(1));
    let mut nodes = Vec::with_capacity(items + topics);
    for (t, topic_name) in TOPIC_NAMES.iter().enumerate().take(topics) {
        let topic_urn = format!("{urn}:t{:02}", t + 1);
        let mut topic = CatalogNode::new(&topic_urn);
        topic.ref_id = Some(format!("T{:02}", t + 1));
        topic.name = Some(format!("Thema {} – {topic_name}", t + 1));
        topic.depth = 1;
        nodes.push(topic);
        for (n, k) in (t..items).step_by(topics).enumerate() {
            let mut item = CatalogNode::new(format!("{topic_urn}:r{:03}", n + 1));
            item.parent_urn = Some(topic_urn.clone());
            item.ref_id = Some(format!("T{:02}.{}", t + 1, n + 1));
            item.name = Some(format!("Thema {} – Anforderung {}", t + 1, n + 1));
            item.description = Some(format!(
                "Thema {} – Anforderung {}: Die Verwaltung hat für den Bereich {topic_name} eine \
                 Regelung getroffen, umgesetzt und dokumentiert (synthetische Anforderung für Lasttests).",
                t + 1,
                n + 1
            ));
            item.assessable = true;
            item.depth = 2;
            item.implementation_groups = vec![format!("P{}", k % 3 + 1)];
            nodes.push(item);
        }
    }
    for (i, n) in nodes.iter_mut().enumerate() {
        n.order = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let group = |p: u8, name: &str| ImplementationGroup {
        ref_id: format!("P{p}"),
        name: name.into(),
        description: None,
        translations: BTreeMap::new(),
    };
    Catalog {
        urn,
        ref_id: format!("VERBUND-SYNTH-{items}"),
        name: format!("Synthetischer Lasttest-Katalog ({items} Anforderungen)"),
        description: Some("Automatisch erzeugt für Last- und Skalierungstests.".into()),
        version: "1".into(),
        locale: "de".into(),
        provider: Some("Verbund".into()),
        copyright: None,
        source: SourceFormat::Verbund,
        translations: BTreeMap::new(),
        implementation_groups: vec![
            group(1, "sofort"),
            group(2, "kurzfristig"),
            group(3, "mittelfristig"),
        ],
        nodes,
    }
}

/// `n` members: the municipalities of the list in file order (skipping AGS in `taken`),
/// then synthesised ones ("Gemeinde 00001") if the list is missing or too short.
fn members(
    csv: Option<&Path>,
    n: usize,
    taken: &HashSet<String>,
    rng: &mut Rng,
    note: &mut impl FnMut(Event),
) -> (Vec<OrgInput>, usize) {
    let listed = match csv.map(|p| (p, std::fs::read(p))) {
        Some((p, Ok(bytes))) => match verbund_formats::gemeinden::parse(&bytes) {
            Ok(rows) => rows,
            Err(e) => {
                note(Event::Note(format!("{}: {e}", p.display())));
                vec![]
            }
        },
        Some((p, Err(e))) => {
            note(Event::Note(format!("{}: {e}", p.display())));
            vec![]
        }
        None => vec![],
    };
    let mut out: Vec<OrgInput> = listed
        .into_iter()
        .filter(|m| !taken.contains(m.ags.as_str()))
        .take(n)
        .map(|m| super::org(&m.name, m.kind, Some(m.ags.as_str()), Some(m.population)))
        .collect();
    let from_list = out.len();
    if from_list < n {
        note(Event::Note(format!(
            "Gemeindeliste {}: {} Namen übernommen, {} Namen synthetisch (ab \"Gemeinde {:05}\").",
            if csv.is_some() {
                "unvollständig"
            } else {
                "fehlt"
            },
            from_list,
            n - from_list,
            from_list + 1
        )));
    }
    for i in from_list..n {
        let population = i64::try_from(500 + rng.below(50_000)).unwrap_or(500);
        out.push(super::org(
            &format!("Gemeinde {:05}", i + 1),
            OrgKind::Gemeinde,
            None,
            Some(population),
        ));
    }
    (out, from_list)
}

/// Adds `opts.members` generated members, the synthetic catalog, an assessment with
/// random answers and a structure analysis relying on the demo provider's shared object
/// (see [`super::scale_structure`]) for each of them to the demo federation; reports progress through
/// `progress`. Fails if there is no federation or a store call fails (a chunk is written
/// completely or not at all).
pub async fn generate(
    store: &Store,
    opts: &ScaleOptions,
    mut progress: impl FnMut(Event),
) -> Result<ScaleReport> {
    let sys = AuditActor::system();
    let fed = crate::federation(store).await?;
    let mut rng = Rng::new(opts.seed);
    let taken: HashSet<String> = store
        .member_rows_federation_wide(
            &verbund_domain::authz::Scope::system(&super::SYSTEM),
            fed.id,
        )
        .await?
        .into_iter()
        .filter_map(|(o, _)| o.ags.map(|a| a.as_str().to_owned()))
        .collect();
    let (inputs, from_list) = members(
        opts.gemeinden_csv.as_deref(),
        opts.members,
        &taken,
        &mut rng,
        &mut progress,
    );
    let since = MembershipInput {
        starts_on: verbund_domain::validation::parse_date("2025-01-01")
            .map_err(|e| Error::Internal(e.into()))?,
        ends_on: None,
        note: Some("Generiert (Lasttest)".into()),
    };
    let mut orgs: Vec<OrgId> = Vec::with_capacity(inputs.len());
    progress(Event::Members(0, inputs.len()));
    for chunk in inputs.chunks(MEMBER_CHUNK) {
        orgs.extend(store.generate_members(&sys, fed.id, chunk, &since).await?);
        progress(Event::Members(orgs.len(), inputs.len()));
    }
    let catalog = synthetic_catalog(opts.catalog_items);
    let imported = crate::catalogs::store(store, &sys, &catalog).await?;
    // (topic index, priority) of every requirement, in the order the store expects answers.
    let mut topic = -1;
    let items: Vec<(i64, Option<&str>)> = catalog
        .nodes
        .iter()
        .filter_map(|n| {
            if n.parent_urn.is_none() {
                topic += 1;
                return None;
            }
            Some((topic, n.implementation_groups.first().map(String::as_str)))
        })
        .collect();
    let mut report = ScaleReport {
        from_list,
        synthesised: inputs.len() - from_list,
        catalog_id: imported.catalog.id.0,
        ..ScaleReport::default()
    };
    progress(Event::Assessments(0, orgs.len()));
    for chunk in orgs.chunks(ASSESSMENT_CHUNK) {
        let members: Vec<(OrgId, Vec<Answer>)> = chunk
            .iter()
            .map(|o| {
                let profile = Profile::draw(&mut rng, TOPICS);
                let answers = items
                    .iter()
                    .map(|(topic, priority)| profile.answer(&mut rng, *topic, *priority))
                    .collect();
                (*o, answers)
            })
            .collect();
        store
            .generate_assessments(&sys, fed.id, imported.catalog.id, &members)
            .await?;
        report.assessments += members.len();
        report.answers += members.len() * items.len();
        progress(Event::Assessments(report.assessments, orgs.len()));
    }
    match super::scale_structure::shared_object(store).await? {
        Some(shared) => {
            progress(Event::Structures(0, orgs.len()));
            let mut done = 0;
            for chunk in orgs.chunks(STRUCTURE_CHUNK) {
                report.structure_objects +=
                    super::scale_structure::generate(store, shared, chunk, &mut rng).await?;
                done += chunk.len();
                progress(Event::Structures(done, orgs.len()));
            }
        }
        None => progress(Event::Note(format!(
            "Kein Objekt {} des Demo-Dienstleisters: Strukturanalysen werden nicht erzeugt.",
            super::scale_structure::SHARED_SHORT_ID
        ))),
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_catalog_has_twenty_topics_and_the_requirements_asked_for() {
        let c = synthetic_catalog(300);

        assert_eq!(c.validate(), Ok(()));
        assert_eq!(c.assessable_count(), 300);
        assert_eq!(c.topics().count(), TOPICS);
        assert_eq!(c.children_of("urn:verbund:synthetic:300:t07").count(), 15);
    }

    #[test]
    fn a_small_synthetic_catalog_has_one_topic_per_requirement() {
        let c = synthetic_catalog(5);

        assert_eq!(c.validate(), Ok(()));
        assert_eq!((c.topics().count(), c.assessable_count()), (5, 5));
    }

    #[test]
    fn members_are_synthesised_when_the_list_is_missing() {
        let mut notes = Vec::new();
        let (m, from_list) = members(
            Some(Path::new("/nonexistent/gemeinden.csv")),
            3,
            &HashSet::new(),
            &mut Rng::new(1),
            &mut |e| notes.push(e),
        );

        assert_eq!(from_list, 0);
        assert_eq!(m[0].name, "Gemeinde 00001");
        assert_eq!(m[2].name, "Gemeinde 00003");
        assert!(m.iter().all(|o| o.ags.is_none()));
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}
