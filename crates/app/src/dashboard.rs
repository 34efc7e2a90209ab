//! The start page per role: counts within the user's reach, their roles and the latest
//! changes; for the office the federation's level and trend, progress per member and the
//! members with the oldest snapshot; for a member its own assessments with score, progress
//! and open items.

use serde::Serialize;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::page::PageRequest;
use verbund_store::{AuditEntry, CatalogSummary, HeatmapRow, MemberSnapshotAge, UserGrant};

use crate::Services;
use crate::comparison::{HeatmapQuery, StatsOut, WeakestOut, heatmap};
use crate::error::Result;
use verbund_domain::comparison::TrendPoint;

/// What the start page shows.
#[derive(Debug, Clone)]
pub struct Overview {
    /// Organisations the user can see.
    pub org_count: i64,
    /// Users holding a role where the user may read users.
    pub user_count: i64,
    /// The user's own roles.
    pub roles: Vec<UserGrant>,
    /// The latest audit entries the user may read.
    pub recent: Vec<AuditEntry>,
}

/// The start page of `actor`, with the latest `recent` changes.
pub async fn overview(st: &Services, actor: &Actor, recent: i64) -> Result<Overview> {
    Ok(Overview {
        org_count: st
            .store
            .count_orgs(&actor.scope(Permission::ReadOrg))
            .await?,
        user_count: st
            .store
            .count_users(&actor.scope(Permission::ReadUsers))
            .await?,
        roles: crate::users::own_grants(st, actor).await?,
        recent: st
            .store
            .recent_audit(&actor.scope(Permission::ReadAudit), recent)
            .await?,
    })
}

/// The office's view of the federation (on the catalog with the most answers).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FederationView {
    /// The catalog compared.
    #[schema(value_type = Object)]
    pub catalog: CatalogSummary,
    /// The federation level (members counted, average, spread).
    #[schema(value_type = Option<Object>)]
    pub overall: Option<StatsOut>,
    /// The weakest member.
    pub weakest: Option<WeakestOut>,
    /// The level per month, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub trend: Vec<TrendPoint>,
    /// Members with their progress, the lowest score first (the first 20).
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<HeatmapRow>,
    /// How many members have an assessment of the catalog.
    pub member_count: i64,
    /// The members whose last snapshot is oldest (never taken first), at most 5.
    #[schema(value_type = Vec<Object>)]
    pub oldest_snapshots: Vec<MemberSnapshotAge>,
}

/// One of the member's own assessments as its dashboard shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OwnAssessment {
    /// The assessment.
    pub assessment_id: i64,
    /// The member.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The catalog.
    pub catalog_name: String,
    /// Fulfilment, basis points (none before any scored answer).
    pub score_bp: Option<u32>,
    /// Progress, basis points.
    pub progress_bp: Option<u32>,
    /// Requirements not answered yet.
    pub unanswered: u32,
    /// Answered *nein*.
    pub no: u32,
    /// Answered *teilweise*.
    pub partial: u32,
    /// *Entbehrlich* without justification.
    pub unjustified: u32,
}

/// The role-specific part of the start page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RoleDashboard {
    /// The federation (office roles only; none before any assessment).
    pub federation: Option<FederationView>,
    /// The actor's own members' assessments (member roles; the newest 10).
    pub own: Vec<OwnAssessment>,
}

/// The dashboard of `actor`'s roles.
pub async fn role_dashboard(st: &Services, actor: &Actor) -> Result<RoleDashboard> {
    let can_read = !actor.scope(Permission::ReadAssessments).is_empty();
    let office = actor.check_office(Permission::ReadAssessments).is_ok();
    let federation = if office {
        federation_view(st, actor).await?
    } else {
        None
    };
    let own = if can_read && !office {
        st.store
            .assessments(
                &actor.scope(Permission::ReadAssessments),
                None,
                PageRequest::new(Some(1), Some(10)),
            )
            .await?
            .items
            .into_iter()
            .map(|a| OwnAssessment {
                assessment_id: a.id.0,
                org_id: a.org_id.0,
                org_name: a.org_name,
                catalog_name: a.catalog_name,
                score_bp: a.tally.score_bp(),
                progress_bp: a.tally.progress_bp(),
                unanswered: a.tally.unanswered,
                no: a.tally.no,
                partial: a.tally.partial,
                unjustified: a.tally.not_applicable_unjustified,
            })
            .collect()
    } else {
        vec![]
    };
    Ok(RoleDashboard { federation, own })
}

async fn federation_view(st: &Services, actor: &Actor) -> Result<Option<FederationView>> {
    let q = HeatmapQuery {
        sort: Some("score".into()),
        per_page: Some(20),
        ..HeatmapQuery::default()
    };
    let h = heatmap(st, actor, &q).await?;
    let Some(catalog) = h.catalog else {
        return Ok(None);
    };
    let oldest_snapshots = st
        .store
        .last_snapshots(&actor.scope(Permission::ReadAssessments), catalog.id, 5)
        .await?;
    Ok(Some(FederationView {
        catalog,
        overall: h.overall,
        weakest: h.weakest,
        trend: h.trend,
        member_count: h.rows.total,
        members: h.rows.items,
        oldest_snapshots,
    }))
}
