//! The federation comparison: members × topics, with the federation average and spread.
//!
//! The office sees every member by name. A member sees its own row and the anonymised
//! federation average, unless the federation settings allow named comparison, in which case
//! it sees every member's scores (never their answers). The anonymised average is shown only
//! when enough *other* members are in it (setting `anonymity_min_others`, default 3), since
//! with few the average and the count give away another member's exact score. Members
//! that have answered nothing are "not yet assessed" and are in no figure.

use serde::{Deserialize, Serialize};
use verbund_domain::CatalogId;
use verbund_domain::authz::{Actor, Permission, Scope, SystemAccess};
use verbund_domain::comparison::{TrendPoint, federation_trend};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::settings::anonymous_figures_visible;
use verbund_domain::validation::ValidationErrors;
use verbund_store::{CatalogSummary, HeatmapRow, HeatmapSort, TopicStats};

use crate::Services;
use crate::error::{Error, Result};

/// `?catalog=3&sort=name|score|topic&topic=2&page=1&per_page=50`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HeatmapQuery {
    /// Catalog revision; default: the one with the most assessments.
    #[param(value_type = Option<i64>, nullable = false)]
    pub catalog: Option<CatalogId>,
    /// `name` (default), `score` (lowest first) or `topic` (by `topic`, lowest first).
    #[param(value_type = Option<HeatmapSortParam>, inline, nullable = false)]
    pub sort: Option<String>,
    /// Topic index for `sort=topic`.
    #[param(nullable = false)]
    pub topic: Option<i64>,
    /// Page (1-based).
    #[param(minimum = 1, maximum = 1_000_000, nullable = false)]
    pub page: Option<u32>,
    /// Rows per page (default 50, 1 to 200; outside that range the request is refused with 422).
    #[param(minimum = 1, maximum = 200, nullable = false)]
    pub per_page: Option<u32>,
}

/// The orders of the heatmap, as documented for `sort` (the handler reads the text).
#[derive(Debug, utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum HeatmapSortParam {
    /// By member name.
    Name,
    /// Overall score, lowest first.
    Score,
    /// Score in topic `topic`, lowest first.
    Topic,
}

/// One topic column.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TopicColumn {
    /// Index from 0.
    pub index: i64,
    /// `ref_id`.
    pub ref_id: Option<String>,
    /// Name.
    pub name: String,
    /// Federation figures (members see the average only: min, max and gap are hidden).
    #[schema(value_type = Option<Object>)]
    pub stats: Option<StatsOut>,
}

/// Federation figures of a topic or overall.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct StatsOut {
    /// Members counted.
    pub members: i64,
    /// Average score, basis points.
    pub average_bp: i64,
    /// Lowest member score (office or named comparison only).
    pub min_bp: Option<i64>,
    /// Highest member score (office or named comparison only).
    pub max_bp: Option<i64>,
    /// How far the weakest member is below the average ("uniform level"; office or named comparison only).
    pub gap_bp: Option<i64>,
}

impl StatsOut {
    fn new(s: TopicStats, full: bool) -> Self {
        Self {
            members: s.members,
            average_bp: s.average_bp,
            min_bp: full.then_some(s.min_bp),
            max_bp: full.then_some(s.max_bp),
            gap_bp: full.then_some(s.average_bp - s.min_bp),
        }
    }
}

/// The member with the lowest overall score (office, or with named comparison).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WeakestOut {
    /// The member.
    pub org_id: i64,
    /// Its name.
    pub name: String,
    /// Its overall score, basis points.
    pub score_bp: i64,
    /// How far it is below the federation average, basis points (percentage points × 100).
    pub below_average_bp: i64,
}

/// The comparison of one catalog revision.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Heatmap {
    /// The catalog revision compared (None if there are no assessments yet).
    #[schema(value_type = Option<Object>)]
    pub catalog: Option<CatalogSummary>,
    /// Catalog revisions that have assessments, to choose from.
    #[schema(value_type = Vec<Object>)]
    pub catalogs: Vec<CatalogSummary>,
    /// Whether other members appear by name.
    pub named: bool,
    /// Topic columns in order.
    pub topics: Vec<TopicColumn>,
    /// Federation figures over all topics.
    #[schema(value_type = Option<Object>)]
    pub overall: Option<StatsOut>,
    /// Member rows, one page.
    #[schema(value_type = Object)]
    pub rows: Page<HeatmapRow>,
    /// The weakest member by name (office, or named comparison; otherwise none).
    pub weakest: Option<WeakestOut>,
    /// The federation level at the end of each month with snapshots (the newest 24), oldest
    /// first; empty where anonymised figures are withheld.
    #[schema(value_type = Vec<Object>)]
    pub trend: Vec<TrendPoint>,
    /// Set when anonymised figures were withheld because fewer than this many other members
    /// have answered (members only, without named comparison).
    pub withheld_below: Option<u32>,
}

/// The comparison as the actor may see it.
pub async fn heatmap(st: &Services, actor: &Actor, q: &HeatmapQuery) -> Result<Heatmap> {
    let sort = match q.sort.as_deref() {
        Some("score") => HeatmapSort::Score,
        Some("topic") => HeatmapSort::Topic(q.topic.unwrap_or(0)),
        None | Some("" | "name") => HeatmapSort::Name,
        Some(_) => return Err(ValidationErrors::single("sort", "error-sort").into()),
    };
    let page = PageRequest::checked(q.page, q.per_page, 50)?;
    let fed = crate::federation(&st.store).await?;
    let own = actor.scope(Permission::ReadAssessments);
    if own.is_empty() {
        return Err(Error::NotFound);
    }
    let office = actor.check_office(Permission::ReadAssessments).is_ok();
    let settings = st.store.settings(fed.id).await?;
    let named = office || settings.named_comparison;
    let counts = st.store.answers_by_catalog(fed.id).await?;
    let catalogs: Vec<CatalogSummary> = st
        .store
        .catalogs(fed.id)
        .await?
        .into_iter()
        .filter(|c| counts.iter().any(|(id, _)| *id == c.id))
        .collect();
    let chosen = match q.catalog {
        Some(id) => Some(
            catalogs
                .iter()
                .find(|c| c.id == id)
                .cloned()
                .ok_or(Error::NotFound)?,
        ),
        // The catalog with the most answers is the one the federation works on, even when a
        // newer revision already has (mostly empty) assessments.
        None => counts
            .iter()
            .max_by_key(|(id, n)| (*n, *id))
            .and_then(|(id, _)| catalogs.iter().find(|c| c.id == *id).cloned()),
    };
    let Some(catalog) = chosen else {
        return Ok(Heatmap {
            catalog: None,
            catalogs,
            named,
            topics: vec![],
            overall: None,
            rows: Page {
                items: vec![],
                page: 1,
                per_page: page.per_page,
                total: 0,
            },
            weakest: None,
            trend: vec![],
            withheld_below: None,
        });
    };
    // Named comparison shows every member's scores; otherwise only the actor's own members.
    let row_scope = if named {
        // The federation's settings let members see each other by name in the comparison.
        Scope::system(&SystemAccess::for_reason(
            "named comparison allowed by the federation",
        ))
    } else {
        own.clone()
    };
    let rows = st
        .store
        .heatmap_rows(&row_scope, catalog.id, sort, page)
        .await?;
    let stats = st.store.heatmap_stats_federation_wide(catalog.id).await?;
    // How many of the members counted in topic `i` (-1: overall) are the viewer's own.
    let own_counted = |i: i64| -> i64 {
        let counted = rows.items.iter().filter(|r| {
            own.contains(r.org_id)
                && match usize::try_from(i) {
                    Ok(t) => r.topics_assessed.get(t).copied().unwrap_or(false),
                    Err(_) => r.assessed,
                }
        });
        i64::try_from(counted.count()).unwrap_or(i64::MAX)
    };
    let min_others = settings.anonymity_min_others;
    let mut withheld = false;
    let mut stat = |i: i64| {
        let s = stats.iter().find(|(t, _)| *t == i).map(|(_, s)| *s)?;
        if !named && !anonymous_figures_visible(s.members, own_counted(i), min_others) {
            withheld = true;
            return None;
        }
        Some(StatsOut::new(s, named))
    };
    let topics: Vec<TopicColumn> = st
        .store
        .catalog_topics(fed.id, catalog.id)
        .await?
        .into_iter()
        .map(|(index, ref_id, name)| TopicColumn {
            stats: stat(index),
            index,
            ref_id,
            name,
        })
        .collect();
    let overall = stat(-1);
    let weakest = match (named, overall) {
        (true, Some(o)) => st.store.weakest_member(&row_scope, catalog.id).await?.map(
            |(org_id, name, score_bp)| WeakestOut {
                org_id,
                name,
                score_bp,
                below_average_bp: o.average_bp - score_bp,
            },
        ),
        _ => None,
    };
    let trend = if overall.is_some() {
        let system = Scope::system(&SystemAccess::for_reason(
            "the federation trend is an aggregate of every member's snapshots",
        ));
        let points = st.store.snapshot_points(&system, catalog.id).await?;
        let own_ids: std::collections::HashSet<i64> = st
            .store
            .snapshot_points(&own, catalog.id)
            .await?
            .into_iter()
            .map(|p| p.0)
            .collect();
        let own_n = i64::try_from(own_ids.len()).unwrap_or(i64::MAX);
        federation_trend(&points, 24)
            .into_iter()
            .filter(|p| {
                named || anonymous_figures_visible(p.members, own_n.min(p.members), min_others)
            })
            .collect()
    } else {
        vec![]
    };
    Ok(Heatmap {
        weakest,
        trend,
        overall,
        catalog: Some(catalog),
        catalogs,
        named,
        topics,
        withheld_below: withheld.then_some(min_others),
        rows,
    })
}
