//! Risk analysis on both backends: the elementary threats written on first use, risks with
//! categories by the stored matrix, a matrix change re-rating them, acceptance and lapse
//! filters, measure links of the own member only, and isolation.

use verbund_domain::authz::{Permission, Role};
use verbund_domain::page::PageRequest;
use verbund_domain::risk::model::{RiskFilter, TreatmentFilter};
use verbund_domain::risk::{RawRisk, RiskCategory, RiskMatrix, Treatment};
use verbund_domain::user::{Email, NewUser};
use verbund_domain::{MeasureId, RiskId, ThreatId};

use super::structure::{World, world};
use super::*;

fn rating(f: &str, i: &str, fa: &str, ia: &str, t: &str) -> verbund_domain::risk::RiskInput {
    let s = |v: &str| Some(v.to_owned());
    RawRisk {
        frequency: s(f),
        impact: s(i),
        frequency_after: s(fa),
        impact_after: s(ia),
        treatment: s(t),
        justification: None,
        revision: None,
    }
    .validate(true)
    .expect("valid")
}

async fn threat(w: &World, code: &str) -> ThreatId {
    w.s.list_threats()
        .await
        .expect("threats")
        .into_iter()
        .find(|t| t.code == code)
        .expect("threat")
        .id
}

fn filter(today: &str) -> RiskFilter {
    RiskFilter {
        today: today.into(),
        ..RiskFilter::default()
    }
}

async fn risks_are_rated_by_the_matrix_and_re_rated_when_it_changes(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let threats = w.s.list_threats().await.expect("threats");
    assert_eq!(threats.len(), 47, "written on first use");
    assert_eq!(w.s.list_threats().await.expect("again").len(), 47, "once");
    assert_eq!(threats[1].code, "G 0.2", "in number order");
    let server = w.object(w.a, "S1", "server").await;
    let write = w.scope(w.a, Permission::EditStructure);
    let fire = threat(&w, "G 0.1").await;
    let r =
        w.s.create_risk(
            &sys,
            &write,
            server,
            fire,
            &rating(
                "mittel",
                "betraechtlich",
                "selten",
                "betraechtlich",
                "reduzieren",
            ),
        )
        .await
        .expect("created");
    assert_eq!(r.category, RiskCategory::High);
    assert_eq!(r.category_after, Some(RiskCategory::Medium));
    let dup =
        w.s.create_risk(
            &sys,
            &write,
            server,
            fire,
            &rating("selten", "begrenzt", "", "", ""),
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Invalid(_))), "{dup:?}");
    let unknown =
        w.s.create_risk(
            &sys,
            &write,
            server,
            ThreatId(999_999),
            &rating("selten", "begrenzt", "", "", ""),
        )
        .await;
    assert!(
        matches!(unknown, Err(StoreError::Invalid(_))),
        "{unknown:?}"
    );

    // Everything sehr hoch: both categories follow in the change's transaction.
    let all_very_high = RiskMatrix {
        cells: vec![vec![RiskCategory::VeryHigh; 4]; 4],
    };
    w.s.save_risk_matrix(&sys, w.fed, &all_very_high)
        .await
        .expect("saved");
    assert_eq!(w.s.risk_matrix().await.expect("matrix"), all_very_high);
    let again = w.s.get_risk(&w.all(), r.id).await.expect("read");
    assert_eq!(
        (again.category, again.category_after),
        (RiskCategory::VeryHigh, Some(RiskCategory::VeryHigh))
    );
    let page =
        w.s.list_risks(
            &w.all(),
            &RiskFilter {
                category: Some(RiskCategory::VeryHigh),
                ..filter("2026-12-02")
            },
            PageRequest::new(None, None),
        )
        .await
        .expect("list");
    assert_eq!(page.total, 1);
    let audit = w.s.recent_audit(&w.all(), 5).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|e| e.entry.record.action == "risk.matrix.update")
    );
    assert!(audit.iter().any(|e| e.entry.record.action == "risk.create"));
}

async fn acceptance_lapses_by_date_and_the_filters_follow(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let boss =
        w.s.create_user(
            &sys,
            &NewUser {
                email: Email::parse("leitung@a.example").expect("mail"),
                display_name: "Leitung A".into(),
                password: None,
            },
            None,
            Some((w.a, Role::Management)),
        )
        .await
        .expect("user");
    let approvers = w.s.risk_approvers(&w.all(), w.a).await.expect("approvers");
    assert_eq!(approvers, vec![(boss.id, "Leitung A".to_owned())]);
    assert!(
        w.s.risk_approvers(&w.all(), w.b)
            .await
            .expect("none")
            .is_empty()
    );
    let server = w.object(w.a, "S1", "server").await;
    let write = w.scope(w.a, Permission::EditStructure);
    let r =
        w.s.create_risk(
            &sys,
            &write,
            server,
            threat(&w, "G 0.25").await,
            &rating("haeufig", "begrenzt", "", "", ""),
        )
        .await
        .expect("created");
    let open =
        w.s.create_risk(
            &sys,
            &write,
            server,
            threat(&w, "G 0.8").await,
            &rating("selten", "begrenzt", "", "", ""),
        )
        .await
        .expect("created");
    let accepted =
        w.s.update_risk(
            &sys,
            &write,
            r.id,
            Some(r.revision),
            &rating("haeufig", "begrenzt", "", "", "akzeptieren"),
            Some((boss.id, "2027-03-31")),
        )
        .await
        .expect("accepted");
    assert_eq!(accepted.treatment, Some(Treatment::Accept));
    assert_eq!(accepted.approver_name.as_deref(), Some("Leitung A"));
    assert_eq!(accepted.expires_on.as_deref(), Some("2027-03-31"));
    let stale =
        w.s.update_risk(
            &sys,
            &write,
            r.id,
            Some(r.revision),
            &rating("selten", "begrenzt", "", "", ""),
            None,
        )
        .await;
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    let ids = |day: &'static str, t: TreatmentFilter| {
        let w = &w;
        async move {
            w.s.list_risks(
                &w.all(),
                &RiskFilter {
                    treatment: Some(t),
                    ..filter(day)
                },
                PageRequest::new(None, None),
            )
            .await
            .expect("list")
            .items
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<RiskId>>()
        }
    };
    assert_eq!(
        ids("2027-03-31", TreatmentFilter::Untreated).await,
        vec![open.id]
    );
    assert!(ids("2027-03-31", TreatmentFilter::Lapsed).await.is_empty());
    let mut both = ids("2027-04-01", TreatmentFilter::Untreated).await;
    both.sort();
    assert_eq!(
        both,
        vec![r.id, open.id],
        "the day after expiry it counts as untreated"
    );
    assert_eq!(ids("2027-04-01", TreatmentFilter::Lapsed).await, vec![r.id]);
    assert_eq!(
        ids("2027-04-01", TreatmentFilter::Is(Treatment::Accept)).await,
        vec![r.id]
    );
}

async fn measures_of_the_own_member_link_and_others_are_refused(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let server = w.object(w.a, "S1", "server").await;
    let write = w.scope(w.a, Permission::EditStructure);
    let r =
        w.s.create_risk(
            &sys,
            &write,
            server,
            threat(&w, "G 0.39").await,
            &rating("haeufig", "betraechtlich", "", "", ""),
        )
        .await
        .expect("created");
    let own = sqlx_insert_measure(&w, w.a, "Virenschutz aktualisieren").await;
    let other = sqlx_insert_measure(&w, w.b, "Fremde Maßnahme").await;
    let linked =
        w.s.link_risk_measure(&sys, &write, r.id, own, true)
            .await
            .expect("linked");
    assert_eq!(linked.measures.len(), 1);
    assert_eq!(linked.measures[0].title, "Virenschutz aktualisieren");
    let refused = w.s.link_risk_measure(&sys, &write, r.id, other, true).await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    let unlinked =
        w.s.link_risk_measure(&sys, &write, r.id, own, false)
            .await
            .expect("unlinked");
    assert!(unlinked.measures.is_empty());
    let gone = w.s.link_risk_measure(&sys, &write, r.id, own, false).await;
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
}

/// A measure row as the measures feature writes it (its store calls are another branch's).
async fn sqlx_insert_measure(w: &World, org: OrgId, title: &str) -> MeasureId {
    w.s.seed_measure(
        &verbund_domain::authz::SystemAccess::for_reason("test data"),
        org,
        None,
        title,
        None,
        "offen",
    )
    .await
    .expect("measure")
}

async fn member_gets_nothing_of_another_members_risks(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let a_obj = w.object(w.a, "S1", "server").await;
    let r =
        w.s.create_risk(
            &sys,
            &w.scope(w.a, Permission::EditStructure),
            a_obj,
            threat(&w, "G 0.1").await,
            &rating("selten", "begrenzt", "", "", ""),
        )
        .await
        .expect("created");
    let read_b = w.scope(w.b, Permission::ReadStructure);
    let write_b = w.scope(w.b, Permission::EditStructure);
    assert!(matches!(
        w.s.get_risk(&read_b, r.id).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        w.s.list_risks(&read_b, &filter("2026-12-02"), PageRequest::new(None, None))
            .await
            .expect("list")
            .total,
        0
    );
    let input = rating("selten", "begrenzt", "", "", "");
    assert!(matches!(
        w.s.update_risk(&sys, &write_b, r.id, None, &input, None)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        w.s.delete_risk(&sys, &write_b, r.id).await,
        Err(StoreError::NotFound)
    ));
    let t = threat(&w, "G 0.2").await;
    assert!(matches!(
        w.s.create_risk(&sys, &write_b, a_obj, t, &input).await,
        Err(StoreError::NotFound)
    ));
    let summary =
        w.s.risk_threat_summary_federation_wide(&read_b)
            .await
            .expect("summary");
    assert!(summary.is_empty(), "gering is not counted");
    assert!(
        w.s.delete_risk(&sys, &w.scope(w.a, Permission::EditStructure), r.id)
            .await
            .is_ok()
    );
}

macro_rules! both {
    ($($name:ident),*) => {$(
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
    risks_are_rated_by_the_matrix_and_re_rated_when_it_changes,
    acceptance_lapses_by_date_and_the_filters_follow,
    measures_of_the_own_member_link_and_others_are_refused,
    member_gets_nothing_of_another_members_risks
);
