//! The committee report: the whole comparison of one catalog (every row the actor may see,
//! not one page) as a PDF or workbook, with the date of each member's last snapshot.

use verbund_domain::authz::{Actor, Permission, Scope, SystemAccess};
use verbund_domain::localtime::fmt_ms;
use verbund_reports::{CommitteeReport, Level, MemberLine, TopicLine, TrendLine};

use crate::Services;
use crate::comparison::{HeatmapQuery, StatsOut, heatmap};
use crate::error::{Error, Result};
use crate::file::{FileOut, XLSX, slug};

/// At most this many member rows go into one report.
const MAX_MEMBERS: u32 = 20_000;

fn level(s: Option<StatsOut>) -> Option<Level> {
    s.map(|s| Level {
        members: s.members,
        average_bp: s.average_bp,
        min_bp: s.min_bp,
        max_bp: s.max_bp,
    })
}

/// The report data for `q.catalog` (default: the catalog with the most answers), with the
/// same visibility as the comparison page. Not found if there is nothing to compare.
pub async fn report(st: &Services, actor: &Actor, q: &HeatmapQuery) -> Result<CommitteeReport> {
    let mut q = HeatmapQuery {
        sort: Some("name".into()),
        per_page: Some(200),
        page: Some(1),
        ..q.clone()
    };
    let first = heatmap(st, actor, &q).await?;
    let Some(catalog) = first.catalog.clone() else {
        return Err(Error::NotFound);
    };
    q.catalog = Some(catalog.id);
    let mut rows = first.rows.items;
    let mut page = 1;
    while u64::try_from(rows.len()).unwrap_or(u64::MAX)
        < u64::try_from(first.rows.total).unwrap_or(0)
        && page * 200 < MAX_MEMBERS
    {
        page += 1;
        q.page = Some(page);
        let next = heatmap(st, actor, &q).await?;
        if next.rows.items.is_empty() {
            break;
        }
        rows.extend(next.rows.items);
    }
    let scope = if first.named {
        Scope::system(&SystemAccess::for_reason(
            "named comparison: every member's snapshot date",
        ))
    } else {
        actor.scope(Permission::ReadAssessments)
    };
    let ages = st
        .store
        .last_snapshots(&scope, catalog.id, i64::from(MAX_MEMBERS))
        .await?;
    let fed = crate::federation(&st.store).await?;
    let day = |ms: i64| fmt_ms(ms).chars().take(10).collect::<String>();
    let logo = crate::branding::for_document(st, &fed, None).await?;
    Ok(CommitteeReport {
        logo,
        federation: fed.name,
        catalog: format!("{} (Stand {})", catalog.name, catalog.revision),
        date: day(st.now_ms()),
        named: first.named,
        level: level(first.overall),
        weakest: first
            .weakest
            .map(|w| (w.name, w.score_bp, w.below_average_bp)),
        trend: first
            .trend
            .iter()
            .map(|t| TrendLine {
                month: format!("{:02}/{}", t.month, t.year),
                members: t.members,
                average_bp: t.average_bp,
            })
            .collect(),
        topics: first
            .topics
            .into_iter()
            .map(|t| TopicLine {
                ref_id: t.ref_id,
                name: t.name,
                level: level(t.stats),
            })
            .collect(),
        members: rows
            .into_iter()
            .map(|r| MemberLine {
                last_snapshot: ages
                    .iter()
                    .find(|a| a.assessment_id == r.assessment_id)
                    .and_then(|a| a.last_snapshot_ms)
                    .map(day),
                name: r.name,
                score_bp: r.assessed.then_some(r.score_bp),
                progress_bp: r.progress_bp,
                topics: r
                    .topics
                    .iter()
                    .zip(&r.topics_assessed)
                    .map(|(bp, a)| a.then_some(*bp))
                    .collect(),
            })
            .collect(),
    })
}

async fn render(
    f: impl FnOnce() -> std::result::Result<Vec<u8>, verbund_reports::ReportError> + Send + 'static,
) -> Result<Vec<u8>> {
    // Typst layout and the workbook writer are CPU-bound: keep them off the async workers.
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// The committee report as a PDF.
pub async fn report_pdf(st: &Services, actor: &Actor, q: &HeatmapQuery) -> Result<FileOut> {
    let r = report(st, actor, q).await?;
    let filename = format!("vergleich-{}.pdf", slug(&r.catalog));
    let bytes = render(move || verbund_reports::committee_pdf(&r)).await?;
    Ok(FileOut {
        filename,
        content_type: "application/pdf",
        bytes,
    })
}

/// The committee report as a workbook.
pub async fn report_xlsx(st: &Services, actor: &Actor, q: &HeatmapQuery) -> Result<FileOut> {
    let r = report(st, actor, q).await?;
    let filename = format!("vergleich-{}.xlsx", slug(&r.catalog));
    let bytes = render(move || verbund_reports::committee_xlsx(&r)).await?;
    Ok(FileOut {
        filename,
        content_type: XLSX,
        bytes,
    })
}
