//! The federation comparison page: members × topics with colour bands and text values.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use verbund_domain::assessment::{band, format_bp_de};
use verbund_domain::comparison::format_pp;

use super::trend::{TrendChart, trend_chart};
use super::{Layout, render};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use verbund_app::comparison::{Heatmap, HeatmapQuery, heatmap};

/// A cell: text and colour band (the text carries the value; colour only supports it).
/// Without a value (not yet assessed, or withheld) the cell has no band, only its text.
pub struct Cell {
    pub text: String,
    pub band: Option<u8>,
}

fn cell(bp: i64) -> Cell {
    let bp = u32::try_from(bp.max(0)).unwrap_or(0);
    Cell {
        text: format_bp_de(bp),
        band: Some(band(bp)),
    }
}

fn no_value(text: String) -> Cell {
    Cell { text, band: None }
}

/// One member row.
pub struct Row {
    pub assessment_id: verbund_domain::AssessmentId,
    pub name: String,
    pub own: bool,
    pub overall: Cell,
    pub progress: String,
    pub trend: String,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "heatmap.html")]
struct HeatmapPage {
    l: Layout,
    h: Heatmap,
    rows: Vec<Row>,
    average: Vec<Cell>,
    minimum: Vec<Option<Cell>>,
    gap: Vec<Option<String>>,
    overall_average: Cell,
    withheld_text: Option<String>,
    weakest_text: Option<String>,
    chart: TrendChart,
    /// `(reference or number, name)` per topic, for the legend.
    legend: Vec<(String, String)>,
    report_query: String,
    sort: String,
    topic: i64,
    pager_extra: String,
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(q): Query<HeatmapQuery>,
) -> AppResult<Response> {
    let mut h = heatmap(&st, cu.actor(), &q).await?;
    if let Some(c) = &h.catalog
        && let Some(t) = super::catalog_texts::load(&st, &cu, c.id).await?
    {
        for x in &mut h.topics {
            if let Some(n) = t.topic(x.ref_id.as_deref(), &x.name) {
                x.name = n.to_owned();
            }
        }
    }
    let lang = cu.ctx.lang;
    let pp = lang.t("unit-pp");
    let not_assessed = || no_value(lang.t("heatmap-not-assessed"));
    let withheld = || no_value(lang.t("heatmap-withheld-cell"));
    let own = cu
        .actor()
        .scope(verbund_domain::authz::Permission::ReadAssessments);
    let rows = h
        .rows
        .items
        .iter()
        .map(|r| Row {
            assessment_id: r.assessment_id,
            name: r.name.clone(),
            own: own.contains(r.org_id),
            overall: if r.assessed {
                cell(r.score_bp)
            } else {
                not_assessed()
            },
            progress: format_bp_de(u32::try_from(r.progress_bp.max(0)).unwrap_or(0)),
            trend: match r.previous_bp {
                _ if !r.assessed => "–".into(),
                Some(p) if p < r.score_bp => format!("↑ {}", format_pp(r.score_bp - p, &pp)),
                Some(p) if p > r.score_bp => format!("↓ {}", format_pp(r.score_bp - p, &pp)),
                Some(_) => format!("→ {}", format_pp(0, &pp)),
                None => "–".into(),
            },
            cells: r
                .topics
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    if r.topics_assessed.get(i).copied().unwrap_or(false) {
                        cell(*b)
                    } else {
                        not_assessed()
                    }
                })
                .collect(),
        })
        .collect();
    let average = h
        .topics
        .iter()
        .map(|t| match t.stats {
            Some(s) => cell(s.average_bp),
            None if h.withheld_below.is_some() => withheld(),
            None => not_assessed(),
        })
        .collect();
    let minimum = h
        .topics
        .iter()
        .map(|t| t.stats.and_then(|s| s.min_bp).map(cell))
        .collect();
    let gap = h
        .topics
        .iter()
        .map(|t| t.stats.and_then(|s| s.gap_bp).map(|g| format_pp(-g, &pp)))
        .collect();
    let sort = q.sort.clone().unwrap_or_else(|| "name".into());
    let catalog = h.catalog.as_ref().map(|c| c.id.0).unwrap_or_default();
    let pager_extra = format!(
        "&catalog={catalog}&sort={sort}&topic={}",
        q.topic.unwrap_or(0)
    );
    let weakest_text = h.weakest.as_ref().map(|w| {
        lang.t_args(
            "heatmap-weakest-named",
            &[
                ("name", w.name.clone()),
                (
                    "score",
                    format_bp_de(u32::try_from(w.score_bp.max(0)).unwrap_or(0)),
                ),
                ("gap", format_pp(-w.below_average_bp, &pp)),
            ],
        )
    });
    let legend = h
        .topics
        .iter()
        .map(|t| {
            (
                t.ref_id
                    .clone()
                    .unwrap_or_else(|| (t.index + 1).to_string()),
                t.name.clone(),
            )
        })
        .collect();
    Ok(render(&HeatmapPage {
        weakest_text,
        chart: trend_chart(lang, &h.trend),
        legend,
        report_query: format!("catalog={catalog}"),
        l: Layout::user(&cu, "heatmap-title", "heatmap"),
        overall_average: match h.overall {
            Some(s) => cell(s.average_bp),
            None if h.withheld_below.is_some() => withheld(),
            None => not_assessed(),
        },
        withheld_text: h
            .withheld_below
            .map(|k| lang.t_args("heatmap-withheld", &[("count", k.to_string())])),
        rows,
        average,
        minimum,
        gap,
        sort,
        topic: q.topic.unwrap_or(0),
        pager_extra,
        h,
    }))
}

/// `?catalog=3` for the committee report.
#[derive(serde::Deserialize)]
pub struct ReportParams {
    catalog: Option<i64>,
}

fn report_query(p: &ReportParams) -> HeatmapQuery {
    HeatmapQuery {
        catalog: p.catalog.map(verbund_domain::CatalogId),
        ..HeatmapQuery::default()
    }
}

/// The committee report as a PDF.
pub async fn report_pdf(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ReportParams>,
) -> AppResult<crate::download::Download> {
    Ok(crate::download::Download(
        verbund_app::committee::report_pdf(&st, cu.actor(), &report_query(&p)).await?,
    ))
}

/// The committee report as a workbook.
pub async fn report_xlsx(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ReportParams>,
) -> AppResult<crate::download::Download> {
    Ok(crate::download::Download(
        verbund_app::committee::report_xlsx(&st, cu.actor(), &report_query(&p)).await?,
    ))
}
