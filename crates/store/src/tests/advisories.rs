//! Advisories on both backends: which members rely on a provider object (also through the
//! provider's own links), a revision replacing the stored one and closing a warning it
//! clears, unconfirmed warnings hidden from members, TLP:AMBER visible only to the warned
//! member, and warning states moving only from the expected state.

use verbund_domain::advisory::matcher::{Confidence, Reason};
use verbund_domain::advisory::records::WarningMatch;
use verbund_domain::advisory::{Advisory, ProductState, Severity, Tlp, WarningState};
use verbund_domain::authz::Permission;
use verbund_domain::structure::LinkType;

use super::structure::world;
use super::*;

fn advisory(version: &str, tlp: Tlp) -> Advisory {
    Advisory {
        tracking_id: "T-1".into(),
        version: version.into(),
        title: "Test".into(),
        category: "csaf_security_advisory".into(),
        publisher: "Test".into(),
        tlp,
        severity: Severity::High,
        max_score: Some(7.5),
        cves: vec!["CVE-2099-1".into()],
        released: "2026-11-01T00:00:00Z".into(),
        summary: "Zusammenfassung".into(),
        change_summary: None,
        products: vec![],
        remediations: vec![],
    }
}

fn warning(
    org: OrgId,
    object: verbund_domain::StructureObjectId,
    confidence: Confidence,
) -> NewWarning {
    NewWarning {
        org_id: org,
        confidence,
        matches: vec![WarningMatch {
            object_id: object,
            object_org_id: org,
            short_id: "A1".into(),
            object_name: "Objekt".into(),
            via_provider: false,
            product_id: "P".into(),
            product_name: "Produkt".into(),
            state: ProductState::Affected,
            confidence,
            reason: Reason {
                key: "advisory-reason-name-only".into(),
                args: Default::default(),
            },
        }],
        deadline_on: "2026-12-09".into(),
    }
}

async fn members_relying_on_provider_objects_are_found_through_provider_links(s: Store) {
    let w = world(s).await;
    let app = w.object(w.a, "A1", "application").await;
    let hosted = w.object(w.provider, "P1", "application").await;
    let server = w.object(w.provider, "P2", "server").await;
    w.link(app, hosted, LinkType::RunsOn).await;
    w.link(hosted, server, LinkType::RunsOn).await;
    let (_, deps) =
        w.s.advisory_inventory_federation_wide(&w.all())
            .await
            .expect("inventory");
    assert!(deps.contains(&(hosted, w.a)));
    assert!(
        deps.contains(&(server, w.a)),
        "through the provider's own link"
    );
    assert!(!deps.iter().any(|(_, m)| *m == w.b));
    let member = w.scope(w.a, Permission::ReadStructure);
    assert!(matches!(
        w.s.advisory_inventory_federation_wide(&member).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_revision_closes_what_it_clears_and_amber_stays_with_the_warned(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let obj = w.object(w.a, "A1", "application").await;
    let first =
        w.s.save_advisory(
            &sys,
            &w.all(),
            w.fed,
            &advisory("1", Tlp::Amber),
            "{}",
            &[],
            &[warning(w.a, obj, Confidence::Exact)],
            &[],
        )
        .await
        .expect("save");
    assert!(first.created);
    assert_eq!(first.opened.len(), 1);
    let id = first.advisory_id.expect("id");
    let a_read = w.scope(w.a, Permission::ReadStructure);
    let b_read = w.scope(w.b, Permission::ReadStructure);
    assert_eq!(w.s.list_advisories(&a_read).await.expect("list").len(), 1);
    assert!(
        w.s.list_advisories(&b_read).await.expect("list").is_empty(),
        "AMBER: not warned"
    );
    assert!(matches!(
        w.s.get_advisory(&b_read, id).await,
        Err(StoreError::NotFound)
    ));
    let (wid, _) = first.opened[0];
    let a_write = w.scope(w.a, Permission::EditStructure);
    let b_write = w.scope(w.b, Permission::EditStructure);
    assert!(matches!(
        w.s.set_advisory_warning_state(
            &sys,
            &b_write,
            wid,
            &[WarningState::Open],
            WarningState::Acknowledged
        )
        .await,
        Err(StoreError::NotFound)
    ));
    let ack =
        w.s.set_advisory_warning_state(
            &sys,
            &a_write,
            wid,
            &[WarningState::Open],
            WarningState::Acknowledged,
        )
        .await
        .expect("ack");
    assert_eq!(ack.state, WarningState::Acknowledged);
    assert!(matches!(
        w.s.set_advisory_warning_state(
            &sys,
            &a_write,
            wid,
            &[WarningState::Open],
            WarningState::Acknowledged
        )
        .await,
        Err(StoreError::Stale)
    ));
    let second =
        w.s.save_advisory(
            &sys,
            &w.all(),
            w.fed,
            &advisory("2", Tlp::Amber),
            "{}",
            &[],
            &[],
            &[w.a],
        )
        .await
        .expect("revise");
    assert!(!second.created);
    assert_eq!(second.closed, 1);
    let closed =
        w.s.get_advisory_warning(&a_read, wid)
            .await
            .expect("warning");
    assert_eq!(closed.state, WarningState::Closed);
    assert_eq!(
        closed.closed_reason.as_deref(),
        Some("fixed_or_not_affected")
    );
    let (record, _, _) = w.s.get_advisory(&w.all(), id).await.expect("advisory");
    assert_eq!((record.version.as_str(), record.revision), ("2", 2));
    assert_eq!(
        w.s.advisory_version_federation_wide("T-1")
            .await
            .expect("v")
            .as_deref(),
        Some("2")
    );
}

async fn unconfirmed_warnings_are_the_offices_until_confirmed(s: Store) {
    let w = world(s).await;
    let sys = AuditActor::system();
    let obj = w.object(w.a, "A1", "application").await;
    let out =
        w.s.save_advisory(
            &sys,
            &w.all(),
            w.fed,
            &advisory("1", Tlp::Clear),
            "{}",
            &[],
            &[warning(w.a, obj, Confidence::NameOnly)],
            &[],
        )
        .await
        .expect("save");
    assert_eq!((out.opened.len(), out.unconfirmed), (0, 1));
    let a_read = w.scope(w.a, Permission::ReadStructure);
    assert!(
        w.s.list_advisory_warnings(&a_read, &WarningFilter::default())
            .await
            .expect("list")
            .is_empty()
    );
    let all =
        w.s.list_advisory_warnings(
            &w.all(),
            &WarningFilter {
                unconfirmed_only: true,
                ..WarningFilter::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    w.s.set_advisory_warning_state(
        &sys,
        &w.all(),
        all[0].id,
        &[WarningState::Unconfirmed],
        WarningState::Open,
    )
    .await
    .expect("confirm");
    assert_eq!(
        w.s.list_advisory_warnings(&a_read, &WarningFilter::default())
            .await
            .expect("list")
            .len(),
        1
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
    members_relying_on_provider_objects_are_found_through_provider_links,
    a_revision_closes_what_it_clears_and_amber_stays_with_the_warned,
    unconfirmed_warnings_are_the_offices_until_confirmed
);
