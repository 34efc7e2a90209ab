//! Demo assessments: the starter catalog answered by every member with a deterministic
//! pseudo-random pattern, a snapshot "Stand Q3 2026", and about 10 % of the answers changed
//! since, so that progress, the heatmap and its trend column show something.

use time::{Date, Month};
use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::Scope;
use verbund_formats::starter::starter_catalog;
use verbund_store::{AnswerFilter, AnswerRow, AuditActor, Federation, Store};

use super::Rng;
use crate::error::Result;

/// Name of the snapshot every demo member takes.
pub const SNAPSHOT_NAME: &str = "Stand Q3 2026";

/// Justifications for *entbehrlich*: the demo gives one with every such answer.
const NOT_APPLICABLE: [&str; 4] = [
    "Kein eigener Serverraum: die Server stehen im Rechenzentrum des Kreises.",
    "Keine mobilen Endgeräte im Einsatz.",
    "Kein WLAN in den Verwaltungsgebäuden.",
    "Wird vollständig vom kommunalen IT-Dienstleister erbracht (Vertrag liegt vor).",
];

/// Owners named for open items.
const OWNERS: [&str; 6] = [
    "Hauptamt",
    "IT-Abteilung",
    "Personalamt",
    "Büro Bürgermeister/in",
    "Informationssicherheitsbeauftragte/r",
    "Ordnungsamt",
];

/// How far a member has got: the share it answered, its general level, and per topic how
/// much better or worse than that it is.
pub(super) struct Profile {
    answered: f64,
    level: f64,
    topic_bias: Vec<f64>,
}

impl Profile {
    /// A member's profile: 60–90 % answered, level 25–90 %, topics ±25 points around it.
    pub(super) fn draw(rng: &mut Rng, topics: usize) -> Self {
        Self {
            answered: rng.between(0.6, 0.9),
            level: rng.between(0.25, 0.9),
            topic_bias: (0..topics).map(|_| rng.between(-0.25, 0.25)).collect(),
        }
    }

    /// A new answer for a requirement of `topic` with `priority`; unanswered ones are
    /// `Unanswered` with nothing else set.
    pub(super) fn answer(&self, rng: &mut Rng, topic: i64, priority: Option<&str>) -> Answer {
        if !rng.chance(self.answered) {
            return Answer::default();
        }
        if rng.chance(0.03) {
            return Answer {
                status: AnswerStatus::NotApplicable,
                justification: Some(NOT_APPLICABLE[rng.below(NOT_APPLICABLE.len())].into()),
                ..Answer::default()
            };
        }
        let bias = usize::try_from(topic)
            .ok()
            .and_then(|t| self.topic_bias.get(t))
            .copied()
            .unwrap_or(0.0);
        // Urgent requirements (P1) are done somewhat more often.
        let urgent = if priority == Some("P1") { 0.1 } else { 0.0 };
        let level = (self.level + bias + urgent).clamp(0.05, 0.97);
        let r = rng.unit();
        let status = if r < level {
            AnswerStatus::Yes
        } else if r < level + (1.0 - level) / 2.0 {
            AnswerStatus::Partial
        } else {
            AnswerStatus::No
        };
        let mut a = Answer {
            status,
            ..Answer::default()
        };
        if status != AnswerStatus::Yes && rng.chance(0.5) {
            a.owner = Some(OWNERS[rng.below(OWNERS.len())].into());
            a.due_on = due_date(rng);
        }
        a
    }
}

/// A due date between October 2026 and September 2027, on the 1st or 15th.
fn due_date(rng: &mut Rng) -> Option<Date> {
    let month = 10 + rng.below(12);
    let (year, month) = (2026 + i32::from(month > 12), (month - 1) % 12 + 1);
    let day = if rng.chance(0.5) { 1 } else { 15 };
    Date::from_calendar_date(year, Month::try_from(u8::try_from(month).ok()?).ok()?, day).ok()
}

/// What changed since the snapshot: mostly one step better, sometimes one step worse.
fn moved(rng: &mut Rng, a: &Answer) -> Option<Answer> {
    use AnswerStatus::*;
    let worse = rng.chance(0.2);
    let status = match (a.status, worse) {
        (NotApplicable, _) => return None,
        (Unanswered, _) => {
            if rng.chance(0.5) {
                Yes
            } else {
                Partial
            }
        }
        (No, false) | (Yes, true) => Partial,
        (Partial, false) => Yes,
        (Partial, true) | (No, true) => No,
        (Yes, false) => return None,
    };
    (status != a.status).then(|| Answer {
        status,
        ..a.clone()
    })
}

/// Imports the starter catalog and answers an assessment of it for every member.
pub(super) async fn seed(store: &Store, fed: &Federation) -> Result<()> {
    let sys = AuditActor::system();
    let catalog = crate::catalogs::store(store, &sys, &starter_catalog()).await?;
    let orgs: Vec<_> = store
        .member_rows_federation_wide(&Scope::system(&super::SYSTEM), fed.id)
        .await?
        .into_iter()
        .map(|(o, _)| o.id)
        .filter(|o| *o != fed.office_org_id)
        .collect();
    let ids = store
        .start_assessments(
            &sys,
            &Scope::system(&super::SYSTEM),
            fed.id,
            catalog.catalog.id,
            &orgs,
        )
        .await?;
    for (i, id) in ids.into_iter().enumerate() {
        let mut rng = Rng::new(0x5EED_0000 + u64::try_from(i).unwrap_or(0));
        let rows: Vec<AnswerRow> = store
            .answers(
                &Scope::system(&super::SYSTEM),
                id,
                &AnswerFilter::default(),
                None,
            )
            .await?
            .items;
        let topics = rows.iter().map(|r| r.topic_index).max().unwrap_or(0) + 1;
        let profile = Profile::draw(&mut rng, usize::try_from(topics).unwrap_or(0));
        let mut first = Vec::with_capacity(rows.len());
        for r in &rows {
            let a = profile
                .answer(&mut rng, r.topic_index, r.priority.as_deref())
                .validated()?;
            if a.status != AnswerStatus::Unanswered {
                first.push((r.id, None, a));
            }
        }
        store
            .set_answers(&sys, &Scope::system(&super::SYSTEM), id, &first)
            .await?;
        store
            .take_snapshot(&sys, &Scope::system(&super::SYSTEM), id, SNAPSHOT_NAME)
            .await?;
        let mut current: std::collections::HashMap<verbund_domain::AnswerId, Answer> =
            rows.iter().map(|r| (r.id, Answer::default())).collect();
        current.extend(first.into_iter().map(|(id, _, a)| (id, a)));
        // About 10 % of the requirements change, visited in random order.
        let mut order: Vec<usize> = (0..rows.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let mut later = Vec::new();
        for r in order.into_iter().map(|i| &rows[i]) {
            if later.len() >= rows.len().div_ceil(10) {
                break;
            }
            if let Some(a) = current.get(&r.id).and_then(|a| moved(&mut rng, a)) {
                later.push((r.id, None, a.validated()?));
            }
        }
        store
            .set_answers(&sys, &Scope::system(&super::SYSTEM), id, &later)
            .await?;
    }
    Ok(())
}
