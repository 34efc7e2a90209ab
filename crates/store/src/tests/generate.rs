//! Bulk generation (generated tallies equal those kept by answering one by one) and the
//! federation comparison over generated members.

use verbund_domain::assessment::{Answer, AnswerStatus, Tally};
use verbund_domain::catalog::{Catalog, CatalogNode, SourceFormat};
use verbund_domain::org::MembershipInput;
use verbund_domain::validation::parse_date;
use verbund_domain::{AnswerId, AssessmentId, CatalogId};

use super::*;

/// Two topics: A with three requirements, B with two.
pub(super) fn catalog() -> Catalog {
    let mut nodes = Vec::new();
    for (topic, items) in [("a", 3), ("b", 2)] {
        let urn = format!("urn:test:gen:{topic}");
        let mut t = CatalogNode::new(&urn);
        t.depth = 1;
        t.name = Some(format!("Thema {topic}"));
        nodes.push(t);
        for i in 1..=items {
            let mut n = CatalogNode::new(format!("{urn}{i}"));
            n.parent_urn = Some(urn.clone());
            n.ref_id = Some(format!("{topic}{i}"));
            n.description = Some(format!("Anforderung {topic}{i}"));
            n.assessable = true;
            n.depth = 2;
            nodes.push(n);
        }
    }
    for (i, n) in nodes.iter_mut().enumerate() {
        n.order = u32::try_from(i).expect("small");
    }
    Catalog {
        urn: "urn:test:gen".into(),
        ref_id: "GEN".into(),
        name: "Generiert".into(),
        description: None,
        version: "1".into(),
        locale: "de".into(),
        provider: Some("Verbund".into()),
        copyright: None,
        source: SourceFormat::Verbund,
        translations: Default::default(),
        implementation_groups: vec![],
        nodes,
    }
}

fn answer(status: AnswerStatus, justification: Option<&str>) -> Answer {
    Answer {
        status,
        justification: justification.map(str::to_owned),
        owner: Some("Hauptamt".into()),
        ..Answer::default()
    }
}

/// Answers of three members, in catalog order (a1 a2 a3 b1 b2).
fn answers() -> Vec<Vec<Answer>> {
    use AnswerStatus::*;
    vec![
        vec![
            answer(Yes, None),
            answer(Partial, None),
            answer(No, None),
            answer(NotApplicable, Some("Kein Serverraum")),
            answer(Unanswered, None),
        ],
        vec![
            answer(Yes, None),
            answer(Yes, None),
            answer(Yes, None),
            answer(Partial, None),
            answer(Partial, None),
        ],
        vec![
            answer(NotApplicable, None),
            answer(No, None),
            answer(Unanswered, None),
            answer(Unanswered, None),
            answer(Yes, None),
        ],
    ]
}

fn towns(prefix: &str, n: usize) -> Vec<OrgInput> {
    (0..n)
        .map(|i| OrgInput {
            ags: None,
            ..org(&format!("{prefix} {i}"), "06433000")
        })
        .collect()
}

async fn setup(s: &Store) -> (verbund_domain::FederationId, CatalogId, Vec<OrgId>) {
    fill(s).await;
    let fed = s.federation().await.expect("ok").expect("exists");
    let by = AuditActor::system();
    let (c, _) = s
        .import_catalog(&by, fed.id, &catalog(), "gen-hash")
        .await
        .expect("catalog");
    let since = MembershipInput {
        starts_on: parse_date("2026-01-01").expect("valid"),
        ends_on: None,
        note: None,
    };
    let orgs = s
        .generate_members(&by, fed.id, &towns("Gemeinde", 6), &since)
        .await
        .expect("members");
    (fed.id, c.id, orgs)
}

fn stats(members: i64, average_bp: i64, min_bp: i64, max_bp: i64) -> TopicStats {
    TopicStats {
        members,
        average_bp,
        min_bp,
        max_bp,
    }
}

async fn generated_tallies_equal_those_of_answering_one_by_one(s: Store) {
    let (fed, catalog_id, orgs) = setup(&s).await;
    let by = AuditActor::system();
    let audit_before = s.verify_audit().await.expect("verify").expect("intact");
    let members: Vec<(OrgId, Vec<Answer>)> = orgs[..3].iter().copied().zip(answers()).collect();

    let generated = s
        .generate_assessments(&by, fed, catalog_id, &members)
        .await
        .expect("generate");

    // Hand-computed (justified entbehrlich out of the score, unjustified counts 0):
    // member 1 overall (10000+5000)/4 = 3750, A (10000+5000+0)/3 = 5000, B 0/1 = 0;
    // member 2 overall 40000/5 = 8000, A 10000, B 5000;
    // member 3 overall 10000/5 = 2000, A 0, B 10000/2 = 5000.
    // Averages: (3750+8000+2000)/3 = 4583.3, (5000+10000+0)/3, (0+5000+5000)/3 = 3333.3.
    assert_eq!(
        s.heatmap_stats_federation_wide(catalog_id)
            .await
            .expect("stats"),
        vec![
            (-1, stats(3, 4583, 2000, 8000)),
            (0, stats(3, 5000, 0, 10000)),
            (1, stats(3, 3333, 0, 5000)),
        ]
    );
    assert_eq!(
        s.verify_audit().await.expect("verify"),
        Ok(audit_before + 1),
        "one audit entry for the whole call"
    );
    let third = s
        .assessment(&Scope::system(&TEST_ACCESS), generated[2])
        .await
        .expect("get");
    assert_eq!(third.tally.not_applicable_unjustified, 1);
    assert_eq!(third.org_id, orgs[2]);

    // The same answers given one by one to three other members.
    let started = s
        .start_assessments(
            &by,
            &Scope::system(&TEST_ACCESS),
            fed,
            catalog_id,
            &orgs[3..],
        )
        .await
        .expect("start");
    for (id, answers) in started.iter().zip(answers()) {
        let ids = s
            .answer_ids_by_urn(&Scope::system(&TEST_ACCESS), *id)
            .await
            .expect("answer ids");
        let changes: Vec<(AnswerId, Option<i64>, Answer)> = ids
            .iter()
            .zip(answers)
            .map(|((_, a), answer)| (*a, None, answer))
            .collect();
        s.set_answers(&by, &Scope::system(&TEST_ACCESS), *id, &changes)
            .await
            .expect("answer");
    }
    for (g, a) in generated.iter().zip(&started) {
        let (g_one, a_one) = (
            s.assessment(&Scope::system(&TEST_ACCESS), *g)
                .await
                .expect("get"),
            s.assessment(&Scope::system(&TEST_ACCESS), *a)
                .await
                .expect("get"),
        );
        assert_eq!(g_one.tally, a_one.tally);
        let topics = |v: Vec<TopicScore>| -> Vec<(i64, Tally)> {
            v.into_iter().map(|t| (t.topic_index, t.tally)).collect()
        };
        assert_eq!(
            topics(
                s.assessment_topics(&Scope::system(&TEST_ACCESS), *g)
                    .await
                    .expect("topics")
            ),
            topics(
                s.assessment_topics(&Scope::system(&TEST_ACCESS), *a)
                    .await
                    .expect("topics")
            )
        );
        let rows = |id: AssessmentId| {
            let s = s.clone();
            async move {
                s.answers(
                    &Scope::system(&TEST_ACCESS),
                    id,
                    &AnswerFilter::default(),
                    None,
                )
                .await
                .expect("answers")
                .items
                .into_iter()
                .map(|r| (r.urn, r.answer))
                .collect::<Vec<_>>()
            }
        };
        assert_eq!(rows(*g).await, rows(*a).await);
    }
    let restored = sqlite().await.0;
    restored
        .restore(&s.backup().await.expect("backup"))
        .await
        .expect("restore");
    assert_eq!(
        restored
            .heatmap_stats_federation_wide(catalog_id)
            .await
            .ok(),
        s.heatmap_stats_federation_wide(catalog_id).await.ok(),
        "the sums are rebuilt after a restore"
    );
}

async fn generating_with_a_wrong_answer_count_stores_nothing(s: Store) {
    let (fed, catalog_id, orgs) = setup(&s).await;
    let mut short = answers();
    short[1].pop();
    let members: Vec<(OrgId, Vec<Answer>)> = orgs[..3].iter().copied().zip(short).collect();

    let err = s
        .generate_assessments(&AuditActor::system(), fed, catalog_id, &members)
        .await
        .unwrap_err();

    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(
        s.assessment_counts_by_catalog(fed).await.expect("counts"),
        vec![]
    );
}

async fn heatmap_pages_follow_each_order(s: Store) {
    use verbund_domain::page::PageRequest;
    let (fed, catalog_id, orgs) = setup(&s).await;
    let members: Vec<(OrgId, Vec<Answer>)> = orgs[..3].iter().copied().zip(answers()).collect();
    s.generate_assessments(&AuditActor::system(), fed, catalog_id, &members)
        .await
        .expect("generate");
    let names = |sort: HeatmapSort, page: u32, per_page: u32| {
        let s = s.clone();
        async move {
            let p = s
                .heatmap_rows(
                    &Scope::system(&TEST_ACCESS),
                    catalog_id,
                    sort,
                    PageRequest::new(Some(page), Some(per_page)),
                )
                .await
                .expect("rows");
            assert_eq!(p.total, 3);
            p.items.into_iter().map(|r| r.name).collect::<Vec<_>>()
        }
    };

    // Scores (overall, topic A, topic B): Gemeinde 0 3750/5000/0, Gemeinde 1
    // 8000/10000/5000, Gemeinde 2 2000/0/5000.
    assert_eq!(
        names(HeatmapSort::Name, 1, 2).await,
        ["Gemeinde 0", "Gemeinde 1"]
    );
    assert_eq!(names(HeatmapSort::Name, 2, 2).await, ["Gemeinde 2"]);
    assert_eq!(
        names(HeatmapSort::Score, 1, 50).await,
        ["Gemeinde 2", "Gemeinde 0", "Gemeinde 1"]
    );
    assert_eq!(
        names(HeatmapSort::Topic(0), 1, 50).await,
        ["Gemeinde 2", "Gemeinde 0", "Gemeinde 1"]
    );
    assert_eq!(
        names(HeatmapSort::Topic(1), 1, 50).await,
        ["Gemeinde 0", "Gemeinde 1", "Gemeinde 2"],
        "ties by name"
    );
    let own = s
        .heatmap_rows(
            &member_scope(orgs[1]),
            catalog_id,
            HeatmapSort::Topic(0),
            PageRequest::default(),
        )
        .await
        .expect("rows");
    assert_eq!(
        own.items
            .iter()
            .map(|r| (r.name.as_str(), r.topics.clone()))
            .collect::<Vec<_>>(),
        [("Gemeinde 1", vec![10_000, 5000])]
    );
}

async fn a_member_that_has_answered_nothing_is_left_out_of_the_comparison(s: Store) {
    use verbund_domain::page::PageRequest;
    let (fed, catalog_id, orgs) = setup(&s).await;
    let by = AuditActor::system();
    let members: Vec<(OrgId, Vec<Answer>)> = orgs[..3].iter().copied().zip(answers()).collect();
    s.generate_assessments(&by, fed, catalog_id, &members)
        .await
        .expect("generate");
    let before = s
        .heatmap_stats_federation_wide(catalog_id)
        .await
        .expect("stats");

    // A fourth member starts but answers nothing: its score of 0 would be the minimum.
    let fourth = s
        .start_assessments(
            &by,
            &Scope::system(&TEST_ACCESS),
            fed,
            catalog_id,
            &orgs[3..4],
        )
        .await
        .expect("start")[0];

    let stats_now = || async {
        s.heatmap_stats_federation_wide(catalog_id)
            .await
            .expect("stats")
    };
    assert_eq!(stats_now().await, before, "not yet assessed: not counted");
    assert_eq!(before[0], (-1, stats(3, 4583, 2000, 8000)));
    let row = |id: AssessmentId| {
        let s = s.clone();
        async move {
            s.heatmap_rows(
                &Scope::system(&TEST_ACCESS),
                catalog_id,
                HeatmapSort::Name,
                PageRequest::default(),
            )
            .await
            .expect("rows")
            .items
            .into_iter()
            .find(|r| r.assessment_id == id)
            .expect("listed")
        }
    };
    let r = row(fourth).await;
    assert_eq!((r.assessed, r.answered, r.score_bp), (false, 0, 0));
    assert_eq!(r.topics_assessed, [false, false]);

    // One answer (a1: nein) makes it assessed overall and in topic A only.
    let ids = s
        .answer_ids_by_urn(&Scope::system(&TEST_ACCESS), fourth)
        .await
        .expect("answer ids");
    let set = |status| {
        let s = s.clone();
        let by = by.clone();
        let first = ids[0].1;
        async move {
            s.set_answers(
                &by,
                &Scope::system(&TEST_ACCESS),
                fourth,
                &[(first, None, answer(status, None))],
            )
            .await
            .expect("answer");
        }
    };
    set(AnswerStatus::No).await;
    // Overall (3750+8000+2000+0)/4 = 3437.5; topic A (5000+10000+0+0)/4 = 3750.
    assert_eq!(
        stats_now().await,
        vec![
            (-1, stats(4, 3438, 0, 8000)),
            (0, stats(4, 3750, 0, 10000)),
            (1, stats(3, 3333, 0, 5000)),
        ]
    );
    let r = row(fourth).await;
    assert_eq!((r.assessed, r.answered), (true, 1));
    assert_eq!(r.topics_assessed, [true, false]);

    // Taking the answer back makes it not assessed again.
    set(AnswerStatus::Unanswered).await;
    assert_eq!(stats_now().await, before);
    let restored = sqlite().await.0;
    restored
        .restore(&s.backup().await.expect("backup"))
        .await
        .expect("restore");
    assert_eq!(
        restored
            .heatmap_stats_federation_wide(catalog_id)
            .await
            .expect("stats"),
        before,
        "rebuilt sums leave it out too"
    );
}

async fn answer_filters_combine_and_count_the_page(s: Store) {
    use verbund_domain::page::PageRequest;
    let (fed, catalog_id, orgs) = setup(&s).await;
    let members: Vec<(OrgId, Vec<Answer>)> = orgs[..1].iter().copied().zip(answers()).collect();
    let id = s
        .generate_assessments(&AuditActor::system(), fed, catalog_id, &members)
        .await
        .expect("generate")[0];
    let find = |f: AnswerFilter| {
        let s = s.clone();
        async move {
            let p = s
                .answers(
                    &Scope::system(&TEST_ACCESS),
                    id,
                    &f,
                    Some(PageRequest::new(Some(1), Some(1))),
                )
                .await
                .expect("answers");
            (
                p.total,
                p.items.into_iter().map(|r| r.ref_id).collect::<Vec<_>>(),
            )
        }
    };

    assert_eq!(
        find(AnswerFilter {
            q: Some("Anforderung A".into()),
            ..AnswerFilter::default()
        })
        .await,
        (3, vec![Some("a1".to_owned())])
    );
    assert_eq!(
        find(AnswerFilter {
            q: Some("anforderung a".into()),
            status: Some(AnswerStatus::No),
            topic: Some(0),
            owner: Some("haupt".into()),
            ..AnswerFilter::default()
        })
        .await,
        (1, vec![Some("a3".to_owned())])
    );
    assert_eq!(
        find(AnswerFilter {
            topic: Some(1),
            ..AnswerFilter::default()
        })
        .await,
        (2, vec![Some("b1".to_owned())])
    );
}

#[tokio::test]
async fn sqlite_answer_filters_combine_and_count_the_page() {
    answer_filters_combine_and_count_the_page(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_answer_filters_combine_and_count_the_page() {
    answer_filters_combine_and_count_the_page(postgres().await).await;
}

#[tokio::test]
async fn sqlite_heatmap_pages_follow_each_order() {
    heatmap_pages_follow_each_order(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_heatmap_pages_follow_each_order() {
    heatmap_pages_follow_each_order(postgres().await).await;
}

#[tokio::test]
async fn sqlite_generated_tallies_equal_those_of_answering_one_by_one() {
    generated_tallies_equal_those_of_answering_one_by_one(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_generated_tallies_equal_those_of_answering_one_by_one() {
    generated_tallies_equal_those_of_answering_one_by_one(postgres().await).await;
}

#[tokio::test]
async fn sqlite_generating_with_a_wrong_answer_count_stores_nothing() {
    generating_with_a_wrong_answer_count_stores_nothing(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_generating_with_a_wrong_answer_count_stores_nothing() {
    generating_with_a_wrong_answer_count_stores_nothing(postgres().await).await;
}

#[tokio::test]
async fn sqlite_a_member_that_has_answered_nothing_is_left_out_of_the_comparison() {
    a_member_that_has_answered_nothing_is_left_out_of_the_comparison(sqlite().await.0).await;
}

#[tokio::test]
async fn postgres_a_member_that_has_answered_nothing_is_left_out_of_the_comparison() {
    a_member_that_has_answered_nothing_is_left_out_of_the_comparison(postgres().await).await;
}

/// The scope of a coordinator of `org` (what a member's request would get).
fn member_scope(org: OrgId) -> Scope {
    verbund_domain::authz::Actor {
        user_id: verbund_domain::UserId(1),
        office_org: OrgId(-1),
        grants: vec![verbund_domain::authz::Grant {
            org_id: org,
            role: verbund_domain::authz::Role::Coordinator,
        }],
    }
    .scope(verbund_domain::authz::Permission::ReadAssessments)
}
