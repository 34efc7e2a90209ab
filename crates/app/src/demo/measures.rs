//! The demo implementation plan: Nauheim, Raunheim and Rüsselsheim turn their unmet answers
//! into measures (Nauheim's measure owner holds some, two of them overdue, some in progress or
//! done), and the office has pushed the template "Offline-Datensicherung einführen" to every
//! member. Titles come from the starter catalog; deadlines and costs are illustrative.

use verbund_domain::authz::Scope;
use verbund_domain::measure::input::RawMeasure;
use verbund_domain::measure::{MeasureStatus, Priority};
use verbund_domain::page::PageRequest;
use verbund_store::{AuditActor, Federation, Store, StoreError};

use super::SYSTEM;

/// The towns whose unmet answers become measures.
const TOWNS: [&str; 3] = ["Nauheim", "Raunheim", "Rüsselsheim am Main"];

/// (deadline, status, cost in euros) of the first measures of each town; the rest stay open
/// without a deadline. The first two lie in the past: overdue.
const PLAN: [(&str, MeasureStatus, &str); 6] = [
    ("2026-09-30", MeasureStatus::Open, "1500"),
    ("2026-11-15", MeasureStatus::InProgress, "4800"),
    ("2027-02-28", MeasureStatus::InProgress, "12000"),
    ("2027-03-31", MeasureStatus::Open, "800"),
    ("2026-10-31", MeasureStatus::Implemented, "2500"),
    ("2027-06-30", MeasureStatus::Open, ""),
];

/// Seeds the measures and the pushed template (the starter assessments must exist).
pub(super) async fn seed(store: &Store, fed: &Federation) -> Result<(), StoreError> {
    let scope = Scope::system(&SYSTEM);
    let by = AuditActor::system();
    let today = verbund_domain::measure::rules::berlin_today(verbund_store::now_ms());
    let assessments = store
        .assessments(&scope, None, PageRequest::new(Some(1), Some(200)))
        .await?
        .items;
    for town in TOWNS {
        let Some(a) = assessments.iter().find(|a| a.org_name == town) else {
            continue;
        };
        let ids = store
            .create_measures_from_unmet(&by, &scope, a.id, None, Priority::High)
            .await?;
        let slug = crate::file::slug(town);
        let owner = store
            .login_user(&format!("massnahmen@{slug}.example"))
            .await?
            .map(|u| u.id);
        for (id, (due, status, cost)) in ids.iter().zip(PLAN) {
            let m = store.get_measure(&scope, None, *id, &today).await?;
            let input = RawMeasure {
                title: m.title.clone(),
                owner_user_id: owner.map(|u| u.to_string()),
                due_on: Some(due.into()),
                priority: Some(m.priority.code().into()),
                cost_euros: Some(cost.into()),
                effort_days: Some("2".into()),
                ..RawMeasure::default()
            }
            .validate(&owner.into_iter().collect::<Vec<_>>())
            .map_err(StoreError::Invalid)?;
            let m = store
                .update_measure(&by, &scope, *id, None, &input, &today)
                .await?;
            let mut current = m;
            for step in [MeasureStatus::InProgress, MeasureStatus::Implemented] {
                if current.status == status || status == MeasureStatus::Open {
                    break;
                }
                current = store
                    .set_measure_status(
                        &by,
                        &scope,
                        None,
                        *id,
                        (current.status, current.revision),
                        step,
                        &today,
                    )
                    .await?;
            }
            if status == MeasureStatus::InProgress {
                store
                    .add_measure_note(
                        &by,
                        &scope,
                        None,
                        *id,
                        "Angebote von zwei Dienstleistern angefragt.",
                        &today,
                    )
                    .await?;
            }
        }
    }
    let template = RawMeasure {
        title: "Offline-Datensicherung einführen".into(),
        description: Some(
            "Mindestens wöchentlich eine Sicherung, die vom Netz getrennt aufbewahrt wird; \
             Wiederherstellung einmal im Jahr üben."
                .into(),
        ),
        due_on: Some("2027-06-30".into()),
        priority: Some("sehr_hoch".into()),
        ..RawMeasure::default()
    }
    .validate(&[])
    .map_err(StoreError::Invalid)?;
    let t = store
        .create_measure_template_federation_wide(&by, &scope, fed.id, &template)
        .await?;
    store
        .push_measure_template_federation_wide(&by, &scope, t.id, None)
        .await?;
    Ok(())
}
