//! Measures on both backends: bulk creation from unmet answers (one transaction, linked,
//! idempotent), scoped reads, filters, status with optimistic locking, link state following the
//! answers, notes, audit, and templates pushed to members with their progress table.

use verbund_domain::assessment::{Answer, AnswerStatus};
use verbund_domain::authz::Permission;
use verbund_domain::measure::input::RawMeasure;
use verbund_domain::measure::model::MeasureFilter;
use verbund_domain::measure::rules::LinkWarning;
use verbund_domain::measure::{MeasureStatus, Priority};
use verbund_domain::{AssessmentId, MeasureId};

use super::structure::{World, world};
use super::*;
use crate::{AnswerFilter, MeasureLinks};

const TODAY: &str = "2026-12-02";

/// Member a's assessment of the test catalog: a1 ja, a2 teilweise, a3 nein, b1 entbehrlich,
/// b2 offen.
async fn assessed(w: &World) -> AssessmentId {
    let by = AuditActor::system();
    let (c, _) =
        w.s.import_catalog(&by, w.fed, &super::generate::catalog(), "m-1")
            .await
            .expect("catalog");
    let a = |status, j: Option<&str>| Answer {
        status,
        justification: j.map(str::to_owned),
        ..Answer::default()
    };
    use AnswerStatus::*;
    let answers = vec![
        a(Yes, None),
        a(Partial, None),
        a(No, None),
        a(NotApplicable, Some("kein Serverraum")),
        a(Unanswered, None),
    ];
    w.s.generate_assessments(&by, w.fed, c.id, &[(w.a, answers)])
        .await
        .expect("assessment")[0]
}

fn filter() -> MeasureFilter {
    MeasureFilter {
        today: TODAY.into(),
        ..MeasureFilter::default()
    }
}

async fn answer_id(w: &World, assessment: AssessmentId, ref_id: &str) -> verbund_domain::AnswerId {
    w.s.answers(&w.all(), assessment, &AnswerFilter::default(), None)
        .await
        .expect("answers")
        .items
        .into_iter()
        .find(|r| r.ref_id.as_deref() == Some(ref_id))
        .expect("row")
        .id
}

async fn bulk_creates_one_linked_measure_per_unmet_answer_once(s: Store) {
    let w = world(s).await;
    let a = assessed(&w).await;
    let write = w.scope(w.a, Permission::ManageAssessments);
    let by = AuditActor::system();
    assert_eq!(
        w.s.unmet_without_measure_count(&write, a)
            .await
            .expect("count"),
        (w.a, 2)
    );
    let (seq_before, _) = w.s.audit_head().await.expect("head");
    let ids =
        w.s.create_measures_from_unmet(&by, &write, a, None, Priority::High)
            .await
            .expect("bulk");
    assert_eq!(ids.len(), 2, "a2 teilweise and a3 nein");
    let (seq_after, _) = w.s.audit_head().await.expect("head");
    assert_eq!(
        seq_after,
        seq_before + 1,
        "one audit entry for the whole bulk"
    );
    let page =
        w.s.list_measures(&write, None, &filter(), PageRequest::new(None, None))
            .await
            .expect("list");
    let titles: Vec<&str> = page.items.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(titles.len(), 2);
    assert!(
        titles[0].starts_with("a2 ") && titles[1].starts_with("a3 "),
        "{titles:?}"
    );
    for m in &page.items {
        assert_eq!(
            (m.priority, m.status, m.link.linked, m.link.met),
            (Priority::High, MeasureStatus::Open, 1, 0)
        );
    }
    // Idempotent: the unmet answers have their measures now.
    assert_eq!(
        w.s.unmet_without_measure_count(&write, a)
            .await
            .expect("count")
            .1,
        0
    );
    let again =
        w.s.create_measures_from_unmet(&by, &write, a, None, Priority::High)
            .await
            .expect("bulk");
    assert!(again.is_empty());
    // Another member sees nothing of it and cannot bulk-create on it.
    let other = w.scope(w.b, Permission::ManageAssessments);
    let none =
        w.s.list_measures(&other, None, &filter(), PageRequest::new(None, None))
            .await
            .expect("list");
    assert_eq!(none.total, 0);
    assert!(matches!(
        w.s.get_measure(&other, None, ids[0], TODAY).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        w.s.create_measures_from_unmet(&by, &other, a, None, Priority::High)
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn link_state_follows_the_answer_and_status_uses_the_revision(s: Store) {
    let w = world(s).await;
    let a = assessed(&w).await;
    let write = w.scope(w.a, Permission::ManageAssessments);
    let by = AuditActor::system();
    let a2 = answer_id(&w, a, "a2").await;
    let ids =
        w.s.create_measures_from_unmet(&by, &write, a, Some(a2), Priority::Medium)
            .await
            .expect("one");
    assert_eq!(ids.len(), 1, "only the answer asked for");
    let m =
        w.s.get_measure(&write, None, ids[0], TODAY)
            .await
            .expect("get");
    assert!(!m.link.fulfilled);
    // The requirement becomes ja: the measure says so and warns that it is still open.
    w.s.set_answer(
        &by,
        &write,
        a2,
        None,
        &Answer {
            status: AnswerStatus::Yes,
            ..Answer::default()
        },
    )
    .await
    .expect("answer");
    let m =
        w.s.get_measure(&write, None, ids[0], TODAY)
            .await
            .expect("get");
    assert!(m.link.fulfilled);
    assert_eq!(m.link.warning, Some(LinkWarning::MetButOpen));
    // Done with the requirement back at nein: the other warning.
    let done =
        w.s.set_measure_status(
            &by,
            &write,
            None,
            m.id,
            (m.status, m.revision),
            MeasureStatus::Implemented,
            TODAY,
        )
        .await
        .expect("status");
    assert!(done.done_at_ms.is_some());
    assert_eq!(done.link.warning, None);
    assert!(matches!(
        w.s.set_measure_status(
            &by,
            &write,
            None,
            m.id,
            (m.status, m.revision),
            MeasureStatus::InProgress,
            TODAY
        )
        .await,
        Err(StoreError::Stale)
    ));
    w.s.set_answer(
        &by,
        &write,
        a2,
        None,
        &Answer {
            status: AnswerStatus::No,
            ..Answer::default()
        },
    )
    .await
    .expect("answer");
    let d =
        w.s.measure_detail(&write, None, m.id, TODAY)
            .await
            .expect("detail");
    assert_eq!(d.measure.link.warning, Some(LinkWarning::DoneButUnmet));
    assert_eq!(d.requirements.len(), 1);
    assert_eq!(d.requirements[0].status, AnswerStatus::No);
    let reopened =
        w.s.set_measure_status(
            &by,
            &write,
            None,
            m.id,
            (done.status, done.revision),
            MeasureStatus::InProgress,
            TODAY,
        )
        .await
        .expect("reopen");
    assert_eq!(reopened.done_at_ms, None);
}

async fn free_measures_filter_audit_and_stay_with_their_owner(s: Store) {
    let w = world(s).await;
    let write = w.scope(w.a, Permission::ManageAssessments);
    let by = AuditActor::system();
    let raw = |title: &str, due: &str| RawMeasure {
        title: title.into(),
        due_on: Some(due.into()),
        cost_euros: Some("1.200,50".into()),
        priority: Some("sehr_hoch".into()),
        ..RawMeasure::default()
    };
    let late =
        w.s.create_measure(
            &by,
            &write,
            w.a,
            &raw("Notfallhandbuch schreiben", "2026-11-30")
                .validate(&[])
                .expect("ok"),
            &MeasureLinks::default(),
            TODAY,
        )
        .await
        .expect("create");
    assert!(late.overdue);
    assert_eq!(late.cost_cents, Some(120_050));
    let later =
        w.s.create_measure(
            &by,
            &write,
            w.a,
            &raw("Offline-Sicherung", "2027-03-31")
                .validate(&[])
                .expect("ok"),
            &MeasureLinks::default(),
            TODAY,
        )
        .await
        .expect("create");
    assert!(!later.overdue);
    // A measure of member b cannot be created with a's scope, nor linked to b's objects.
    assert!(matches!(
        w.s.create_measure(
            &by,
            &write,
            w.b,
            &raw("x", "2027-01-01").validate(&[]).expect("ok"),
            &MeasureLinks::default(),
            TODAY
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let b_object = w.object(w.b, "S1", "server").await;
    let linked =
        w.s.create_measure(
            &by,
            &write,
            w.a,
            &raw("x", "2027-01-01").validate(&[]).expect("ok"),
            &MeasureLinks {
                answers: vec![],
                objects: vec![b_object],
            },
            TODAY,
        )
        .await;
    assert!(matches!(linked, Err(StoreError::Invalid(_))), "{linked:?}");
    let overdue =
        w.s.list_measures(
            &write,
            None,
            &MeasureFilter {
                overdue: true,
                ..filter()
            },
            PageRequest::new(None, None),
        )
        .await
        .expect("list");
    assert_eq!(
        overdue.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        [late.id]
    );
    let found =
        w.s.list_measures(
            &write,
            None,
            &MeasureFilter {
                search: Some("offline".into()),
                ..filter()
            },
            PageRequest::new(None, None),
        )
        .await
        .expect("list");
    assert_eq!(
        found.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        [later.id]
    );
    // A stale revision changes nothing; an owner sees only their own measures.
    let input = raw("Offline-Sicherung", "2027-03-31")
        .validate(&[])
        .expect("ok");
    let e =
        w.s.update_measure(
            &by,
            &write,
            later.id,
            Some(later.revision + 5),
            &input,
            TODAY,
        )
        .await;
    assert!(matches!(e, Err(StoreError::Stale)));

    let owned =
        w.s.list_measures(
            &write,
            Some(UserId(999_999)),
            &filter(),
            PageRequest::new(None, None),
        )
        .await
        .expect("list");
    assert_eq!(owned.total, 0);
    let note =
        w.s.add_measure_note(&by, &write, None, later.id, "Angebot eingeholt", TODAY)
            .await
            .expect("note");
    let d =
        w.s.measure_detail(&write, None, later.id, TODAY)
            .await
            .expect("detail");
    assert_eq!(d.notes, vec![note]);
    let deleted =
        w.s.delete_measure(&by, &write, late.id, TODAY)
            .await
            .expect("delete");
    assert_eq!(deleted.id, late.id);
    let audit =
        w.s.list_audit(&w.all(), Some(w.a), PageRequest::new(None, Some(50)))
            .await
            .expect("audit");
    let actions: Vec<&str> = audit
        .items
        .iter()
        .map(|e| e.entry.record.action.as_str())
        .collect();
    for a in ["measure.create", "measure.note", "measure.delete"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

async fn templates_push_one_measure_per_member_once(s: Store) {
    let w = world(s).await;
    let by = AuditActor::system();
    let office = w.all();
    let member = w.scope(w.a, Permission::ManageAssessments);
    let input = RawMeasure {
        title: "Offline-Datensicherung einführen".into(),
        due_on: Some("2027-06-30".into()),
        priority: Some("hoch".into()),
        ..RawMeasure::default()
    }
    .validate(&[])
    .expect("ok");
    assert!(matches!(
        w.s.create_measure_template_federation_wide(&by, &member, w.fed, &input)
            .await,
        Err(StoreError::NotFound)
    ));
    let t =
        w.s.create_measure_template_federation_wide(&by, &office, w.fed, &input)
            .await
            .expect("template");
    // Naming a provider refuses the push and creates nothing.
    let refused =
        w.s.push_measure_template_federation_wide(&by, &office, t.id, Some(&[w.a, w.provider]))
            .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    let first =
        w.s.push_measure_template_federation_wide(&by, &office, t.id, Some(&[w.a]))
            .await
            .expect("push a");
    assert_eq!(first.len(), 1);
    let all =
        w.s.push_measure_template_federation_wide(&by, &office, t.id, None)
            .await
            .expect("push all");
    assert_eq!(all.len(), 1, "only b still lacked it");
    assert!(
        w.s.push_measure_template_federation_wide(&by, &office, t.id, None)
            .await
            .expect("again")
            .is_empty()
    );
    let rows =
        w.s.measure_template_progress_federation_wide(&office, t.id, TODAY)
            .await
            .expect("progress");
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.status == MeasureStatus::Open && r.due_on.as_deref() == Some("2027-06-30"))
    );
    let a_measure: MeasureId = rows.iter().find(|r| r.org_id == w.a).expect("a").measure_id;
    let m =
        w.s.get_measure(&member, None, a_measure, TODAY)
            .await
            .expect("a sees its measure");
    assert_eq!(
        (m.title.as_str(), m.priority),
        ("Offline-Datensicherung einführen", Priority::High)
    );
    w.s.set_measure_status(
        &by,
        &member,
        None,
        m.id,
        (m.status, m.revision),
        MeasureStatus::Implemented,
        TODAY,
    )
    .await
    .expect("done");
    let listed =
        w.s.list_measure_templates_federation_wide(&office, w.fed)
            .await
            .expect("list");
    assert_eq!((listed[0].pushed, listed[0].done), (2, 1));
    assert!(matches!(
        w.s.measure_template_progress_federation_wide(&member, t.id, TODAY)
            .await,
        Err(StoreError::NotFound)
    ));
}

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(super::sqlite().await.0).await;
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(super::postgres().await).await;
            }
        }
    )*};
}

both!(
    bulk_creates_one_linked_measure_per_unmet_answer_once,
    link_state_follows_the_answer_and_status_uses_the_revision,
    free_measures_filter_audit_and_stay_with_their_owner,
    templates_push_one_measure_per_member_once,
);
