//! The committee report of the federation comparison (PDF and XLSX): the federation level,
//! its trend, the spread, per-member values as far as the reader may see them, and the date
//! of each member's last snapshot. Figures arrive in basis points and are formatted here.

use rust_xlsxwriter::{DocProperties, Format, Workbook};
use serde::Serialize;
use verbund_domain::assessment::format_bp_de;
use verbund_domain::comparison::format_pp;

use crate::ReportError;

/// The typst template of the committee report.
const TEMPLATE: &str = include_str!("committee.typ");

/// Federation figures over all members counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// Members counted (those that have answered anything).
    pub members: i64,
    /// Average score, basis points.
    pub average_bp: i64,
    /// Lowest and highest member score (office or named comparison only).
    pub min_bp: Option<i64>,
    /// Highest member score.
    pub max_bp: Option<i64>,
}

/// One topic with its federation figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicLine {
    /// Reference, e.g. `SYS.1.1`.
    pub ref_id: Option<String>,
    /// Name.
    pub name: String,
    /// Federation figures (none where withheld or nobody assessed the topic).
    pub level: Option<Level>,
}

/// One member's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLine {
    /// Name.
    pub name: String,
    /// Overall score (none: not yet assessed).
    pub score_bp: Option<i64>,
    /// Answered / total, basis points.
    pub progress_bp: i64,
    /// Per topic in topic order (none: not assessed).
    pub topics: Vec<Option<i64>>,
    /// The day of its last snapshot, e.g. "31.03.2027" (none: never).
    pub last_snapshot: Option<String>,
}

/// The federation level at the end of one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendLine {
    /// The month as printed, e.g. "03/2027".
    pub month: String,
    /// Members counted.
    pub members: i64,
    /// Average, basis points.
    pub average_bp: i64,
}

/// Everything the committee report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitteeReport {
    /// The federation's name.
    pub federation: String,
    /// The catalog compared, with its revision.
    pub catalog: String,
    /// The day of the report, e.g. "01.12.2026".
    pub date: String,
    /// Whether members are named (office or named comparison).
    pub named: bool,
    /// Federation figures overall (none where withheld).
    pub level: Option<Level>,
    /// The weakest member, its score and how far below the average (basis points).
    pub weakest: Option<(String, i64, i64)>,
    /// The trend, oldest month first.
    pub trend: Vec<TrendLine>,
    /// Topics in catalog order.
    pub topics: Vec<TopicLine>,
    /// The members the reader may see.
    pub members: Vec<MemberLine>,
    /// The federation's logo, printed beside its name.
    pub logo: Option<verbund_domain::logo::Logo>,
}

fn pct(bp: i64) -> String {
    format_bp_de(u32::try_from(bp.max(0)).unwrap_or(0))
}

fn opt_pct(bp: Option<i64>) -> String {
    bp.map(pct).unwrap_or_else(|| "–".into())
}

#[derive(Serialize)]
struct Data {
    federation: String,
    catalog: String,
    date: String,
    named: bool,
    level: Option<String>,
    members_counted: String,
    spread: Option<String>,
    weakest: Option<String>,
    trend: Vec<[String; 3]>,
    topics: Vec<[String; 4]>,
    members: Vec<[String; 5]>,
}

fn data(r: &CommitteeReport) -> Data {
    let level = r.level;
    Data {
        federation: r.federation.clone(),
        catalog: r.catalog.clone(),
        date: r.date.clone(),
        named: r.named,
        level: level.map(|l| pct(l.average_bp)),
        members_counted: level.map(|l| l.members.to_string()).unwrap_or_default(),
        spread: level.and_then(|l| match (l.min_bp, l.max_bp) {
            (Some(min), Some(max)) => Some(format!(
                "{} bis {} (Spanne {})",
                pct(min),
                pct(max),
                format_pp(max - min, "Prozentpunkte").trim_start_matches('+')
            )),
            _ => None,
        }),
        weakest: r.weakest.as_ref().map(|(name, bp, below)| {
            format!(
                "{name} mit {} ({} zum Durchschnitt)",
                pct(*bp),
                format_pp(-below, "Prozentpunkte")
            )
        }),
        trend: r
            .trend
            .iter()
            .map(|t| [t.month.clone(), t.members.to_string(), pct(t.average_bp)])
            .collect(),
        topics: r
            .topics
            .iter()
            .map(|t| {
                let name = match &t.ref_id {
                    Some(id) => format!("{id} {}", t.name),
                    None => t.name.clone(),
                };
                let l = t.level;
                [
                    name,
                    opt_pct(l.map(|l| l.average_bp)),
                    opt_pct(l.and_then(|l| l.min_bp)),
                    l.and_then(|l| l.min_bp.map(|m| format_pp(m - l.average_bp, "pp")))
                        .unwrap_or_else(|| "–".into()),
                ]
            })
            .collect(),
        members: r
            .members
            .iter()
            .map(|m| {
                [
                    m.name.clone(),
                    m.score_bp
                        .map(pct)
                        .unwrap_or_else(|| "noch nicht bewertet".into()),
                    pct(m.progress_bp),
                    match (m.score_bp, level) {
                        (Some(s), Some(l)) => format_pp(s - l.average_bp, "pp"),
                        _ => "–".into(),
                    },
                    m.last_snapshot.clone().unwrap_or_else(|| "nie".into()),
                ]
            })
            .collect(),
    }
}

/// The committee report as a tagged PDF (German). Fails with [`ReportError::Render`] if
/// typst fails (a bug in the template, not in data: all text passes as string values).
pub fn committee_pdf(r: &CommitteeReport) -> Result<Vec<u8>, ReportError> {
    let json = serde_json::to_vec(&data(r)).map_err(|e| ReportError::Render(e.to_string()))?;
    let images = crate::render::Embedded::logo(&r.logo);
    crate::render::pdf_with_images(TEMPLATE, json, crate::format::date(&r.date), &images)
}

/// The committee report as a workbook: "Übersicht" (level, spread, weakest member),
/// "Trend", "Themen" and "Mitglieder" (one row per member with every topic and the date of
/// the last snapshot). Scores are numbers (fractions of 1, formatted as percent).
pub fn committee_xlsx(r: &CommitteeReport) -> Result<Vec<u8>, ReportError> {
    let d = data(r);
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Vergleich im Verbund – {}", r.catalog))
            .set_author(&r.federation),
    );
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let percent = Format::new().set_num_format("0.0 %");
    let frac = |bp: i64| bp as f64 / 10_000.0;

    let s = wb.add_worksheet().set_name("Übersicht")?;
    s.write_with_format(0, 0, format!("Vergleich im Verbund: {}", r.catalog), &title)?;
    let lines: Vec<(&str, String)> = vec![
        ("Verbund", r.federation.clone()),
        ("Stand", r.date.clone()),
        (
            "Niveau des Verbunds",
            d.level.clone().unwrap_or_else(|| "–".into()),
        ),
        ("Mitglieder gezählt", d.members_counted.clone()),
        ("Streuung", d.spread.clone().unwrap_or_else(|| "–".into())),
        (
            "Schwächstes Mitglied",
            d.weakest.clone().unwrap_or_else(|| "–".into()),
        ),
    ];
    for (i, (k, v)) in lines.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 2;
        s.write_with_format(row, 0, *k, &bold)?;
        s.write(row, 1, v.as_str())?;
    }
    s.set_column_width(0, 24)?;
    s.set_column_width(1, 60)?;

    let s = wb.add_worksheet().set_name("Trend")?;
    for (c, h) in ["Monat", "Mitglieder", "Niveau"].iter().enumerate() {
        s.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, t) in r.trend.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 1;
        s.write(row, 0, t.month.as_str())?;
        s.write(row, 1, t.members as f64)?;
        s.write_with_format(row, 2, frac(t.average_bp), &percent)?;
    }

    let s = wb.add_worksheet().set_name("Themen")?;
    for (c, h) in ["Kennung", "Thema", "Durchschnitt", "Minimum", "Maximum"]
        .iter()
        .enumerate()
    {
        s.write_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, t) in r.topics.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 1;
        s.write(row, 0, t.ref_id.as_deref().unwrap_or(""))?;
        s.write(row, 1, t.name.as_str())?;
        if let Some(l) = t.level {
            s.write_with_format(row, 2, frac(l.average_bp), &percent)?;
            if let Some(m) = l.min_bp {
                s.write_with_format(row, 3, frac(m), &percent)?;
            }
            if let Some(m) = l.max_bp {
                s.write_with_format(row, 4, frac(m), &percent)?;
            }
        }
    }
    s.set_column_width(1, 40)?;

    let s = wb.add_worksheet().set_name("Mitglieder")?;
    let mut header: Vec<String> = ["Mitglied", "Gesamt", "Fortschritt", "Letzter Stand"]
        .map(String::from)
        .to_vec();
    header.extend(r.topics.iter().map(|t| match &t.ref_id {
        Some(id) => format!("{id} {}", t.name),
        None => t.name.clone(),
    }));
    for (c, h) in header.iter().enumerate() {
        s.write_with_format(0, u16::try_from(c).unwrap_or(u16::MAX), h.as_str(), &bold)?;
    }
    for (i, m) in r.members.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(0) + 1;
        s.write(row, 0, m.name.as_str())?;
        match m.score_bp {
            Some(bp) => s.write_with_format(row, 1, frac(bp), &percent)?,
            None => s.write(row, 1, "noch nicht bewertet")?,
        };
        s.write_with_format(row, 2, frac(m.progress_bp), &percent)?;
        s.write(row, 3, m.last_snapshot.as_deref().unwrap_or("nie"))?;
        for (t, v) in m.topics.iter().enumerate() {
            if let Some(bp) = v {
                let col = u16::try_from(t + 4).unwrap_or(u16::MAX);
                s.write_with_format(row, col, frac(*bp), &percent)?;
            }
        }
    }
    s.set_column_width(0, 28)?;
    s.set_freeze_panes(1, 1)?;
    Ok(wb.save_to_buffer()?)
}
