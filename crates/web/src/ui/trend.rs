//! The federation trend as an inline SVG line chart with a table alternative: the chart is
//! an image with a text summary for screen readers, the table carries every value.

use verbund_domain::assessment::format_bp_de;
use verbund_domain::comparison::{TrendPoint, format_pp};

use crate::i18n::Lang;

/// One month of the trend as the table shows it.
pub struct TrendRow {
    pub month: String,
    pub members: String,
    pub level: String,
    pub change: String,
}

/// The chart and its table.
pub struct TrendChart {
    /// The SVG markup (numbers and our own labels only; no user text).
    pub svg: String,
    /// The table alternative, oldest month first.
    pub rows: Vec<TrendRow>,
    /// One sentence: from where to where, for the image's accessible name.
    pub summary: String,
}

impl TrendChart {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

fn pct(bp: i64) -> String {
    format_bp_de(u32::try_from(bp.clamp(0, 10_000)).unwrap_or(0))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Builds the chart of `points` (oldest first).
pub fn trend_chart(lang: Lang, points: &[TrendPoint]) -> TrendChart {
    let unit = lang.t("unit-pp");
    let month = |p: &TrendPoint| format!("{:02}/{}", p.month, p.year);
    let rows: Vec<TrendRow> = points
        .iter()
        .enumerate()
        .map(|(i, p)| TrendRow {
            month: month(p),
            members: p.members.to_string(),
            level: pct(p.average_bp),
            change: match i.checked_sub(1).and_then(|j| points.get(j)) {
                Some(prev) => format_pp(p.average_bp - prev.average_bp, &unit),
                None => "–".into(),
            },
        })
        .collect();
    let summary = match (points.first(), points.last()) {
        (Some(a), Some(b)) => lang.t_args(
            "trend-summary",
            &[
                ("from_month", month(a)),
                ("from", pct(a.average_bp)),
                ("to_month", month(b)),
                ("to", pct(b.average_bp)),
            ],
        ),
        _ => String::new(),
    };
    if points.is_empty() {
        return TrendChart {
            svg: String::new(),
            rows,
            summary,
        };
    }
    // Plot area 60..580 × 20..180 in a 600 × 220 box; 0–100 % on the y axis.
    let (left, right, top, bottom) = (60.0_f64, 580.0_f64, 20.0_f64, 180.0_f64);
    let n = points.len();
    let x = |i: usize| {
        if n == 1 {
            (left + right) / 2.0
        } else {
            left + (right - left) * i as f64 / (n - 1) as f64
        }
    };
    let y = |bp: i64| bottom - (bottom - top) * (bp.clamp(0, 10_000) as f64 / 10_000.0);
    let mut svg = format!(
        "<svg class=\"trend-chart\" viewBox=\"0 0 600 220\" role=\"img\" aria-labelledby=\"trend-title\" focusable=\"false\"><title id=\"trend-title\">{}</title>",
        esc(&summary)
    );
    for pct_line in [0, 25, 50, 75, 100] {
        let yy = y(pct_line * 100);
        svg.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{right}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" class=\"grid\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{pct_line} %</text>",
            left - 6.0,
            yy + 4.0
        ));
    }
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.average_bp)))
        .collect();
    svg.push_str(&format!(
        "<polyline points=\"{}\" class=\"line\"/>",
        line.join(" ")
    ));
    // At most about eight month labels, so they never overlap.
    let step = n.div_ceil(8).max(1);
    for (i, p) in points.iter().enumerate() {
        svg.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" class=\"point\"/>",
            x(i),
            y(p.average_bp)
        ));
        if i % step == 0 || i + 1 == n {
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"205\" class=\"axis\" text-anchor=\"middle\">{}</text>",
                x(i),
                month(p)
            ));
        }
    }
    svg.push_str("</svg>");
    TrendChart { svg, rows, summary }
}
