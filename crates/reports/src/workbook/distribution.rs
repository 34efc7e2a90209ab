//! Sheet "Verteilung": one row per member with every figure of the split, and a totals row.

use std::collections::BTreeSet;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use verbund_domain::OrgId;
use verbund_domain::costs::{Cents, Metric, StatementDocument, StepRule};

use super::{Styles, cached_euros, write_header, write_sum};
use crate::IssuedStatement;
use crate::format::{self, euros_f64};

/// The metrics the key used, in a fixed order.
fn metrics_used(doc: &StatementDocument) -> Vec<Metric> {
    let set: BTreeSet<Metric> = doc
        .statement
        .allocation
        .members
        .iter()
        .flat_map(|m| m.metrics.keys().copied())
        .collect();
    set.into_iter().collect()
}

/// The total of `metric` the key split by, if one by-metric step used it (with several
/// steps over different members there is no single total to show).
fn metric_total(doc: &StatementDocument, metric: Metric) -> Option<u64> {
    let totals: BTreeSet<u64> = doc
        .statement
        .allocation
        .steps
        .iter()
        .filter_map(|s| match s.rule {
            StepRule::ByMetric { metric: m, total } if m == metric => Some(total),
            _ => None,
        })
        .collect();
    (totals.len() == 1)
        .then(|| totals.into_iter().next())
        .flatten()
}

/// The column totals, exact, as cached formula results (or plain values for one member).
struct Totals {
    floors: Cents,
    leftover: i64,
    credits: Cents,
    payable: Cents,
    standalone: Option<Cents>,
    savings: Option<Cents>,
}

fn totals(doc: &StatementDocument) -> Totals {
    // From the whole document, or recorded in a member's part (which has only its own bill).
    let t = doc.totals();
    Totals {
        floors: t.floors,
        leftover: t.extra_cents as i64,
        credits: t.credits,
        payable: t.payable,
        standalone: doc.savings.as_ref().map(|s| s.total_standalone),
        savings: doc.savings.as_ref().map(|s| s.total_savings),
    }
}

/// Writes the sheet; see [`crate::statement_xlsx`].
pub(super) fn sheet(
    ws: &mut Worksheet,
    s: &IssuedStatement,
    member: Option<OrgId>,
    st: &Styles,
) -> Result<(), XlsxError> {
    let doc = s.document;
    let statement = &doc.statement;
    ws.set_name("Verteilung")?;
    let metrics = metrics_used(doc);
    let with_savings = doc.savings.is_some();

    let mut headers: Vec<String> = vec!["Mitglied".into(), "Kennung".into()];
    headers.extend(metrics.iter().map(|m| format::metric(*m).to_owned()));
    headers.extend(
        [
            "Mitgliedstage",
            "Anteil (exakter Bruch)",
            "Anteil",
            "Betrag vor Rundung",
            "abgerundet auf Cent",
            "abgeschnittener Rest (Cent)",
            "Zusatzcent (0/1)",
            "Betrag",
            "Gutschriften",
            "Zahlbetrag",
        ]
        .map(String::from),
    );
    if with_savings {
        headers.extend(["Kosten allein", "Ersparnis"].map(String::from));
    }
    write_header(ws, 0, &headers, st)?;
    let first_metric: u16 = 2;
    let c = first_metric + metrics.len() as u16; // first column after the metrics

    let mut row = 0;
    for line in &statement.allocation.members {
        let Some(bill) = statement.bill(line.member) else {
            continue;
        };
        if member.is_some_and(|id| line.member != id) {
            continue;
        }
        row += 1;
        ws.write_string(row, 0, &line.name)?;
        ws.write_number(row, 1, line.member.0 as f64)?;
        for (col, m) in (first_metric..).zip(&metrics) {
            if let Some(v) = line.metrics.get(m) {
                ws.write_number_with_format(row, col, *v as f64, &st.integer)?;
            }
        }
        ws.write_number(row, c, f64::from(line.membership_days))?;
        ws.write_string(row, c + 1, line.share.fraction.to_string())?;
        ws.write_number_with_format(row, c + 2, format::to_f64(line.share.fraction), &st.percent)?;
        let exact: f64 = line.exact_euros.parse().unwrap_or(f64::NAN);
        ws.write_number_with_format(row, c + 3, exact, &st.euro_exact)?;
        ws.write_number_with_format(row, c + 4, euros_f64(line.floor), &st.euro)?;
        ws.write_number_with_format(row, c + 5, format::to_f64(line.remainder), &st.cent)?;
        ws.write_number(row, c + 6, f64::from(u8::from(line.extra_cent)))?;
        ws.write_number_with_format(row, c + 7, euros_f64(line.amount), &st.euro)?;
        let credits = Cents(bill.credits.iter().map(|c| c.amount.get()).sum());
        ws.write_number_with_format(row, c + 8, euros_f64(credits), &st.euro)?;
        ws.write_number_with_format(row, c + 9, euros_f64(bill.payable), &st.euro_bold)?;
        if let Some(sv) = doc
            .savings
            .as_ref()
            .and_then(|r| r.members.iter().find(|m| m.member == line.member))
        {
            ws.write_number_with_format(row, c + 10, euros_f64(sv.standalone), &st.euro)?;
            ws.write_number_with_format(row, c + 11, euros_f64(sv.savings), &st.euro)?;
        }
    }
    let last = row;
    row += 1;
    let t = totals(doc);
    let n = s.document.totals().members;
    let mut columns: Vec<(u16, Option<String>, &Format)> = Vec::new();
    for (col, m) in (first_metric..).zip(&metrics) {
        let total = match member {
            // Σ over the rows shown; the key's own total when only one member is shown.
            None => Some(line_metric_sum(doc, *m)),
            Some(_) => metric_total(doc, *m),
        };
        columns.push((col, total.map(|v| v.to_string()), &st.integer_bold));
    }
    columns.push((c + 2, Some("1".into()), &st.percent));
    columns.push((
        c + 3,
        Some(cached_euros(statement.shared_total)),
        &st.euro_exact,
    ));
    columns.push((c + 4, Some(cached_euros(t.floors)), &st.euro_bold));
    columns.push((c + 5, Some(t.leftover.to_string()), &st.cent));
    columns.push((c + 6, Some(t.leftover.to_string()), &st.integer_bold));
    columns.push((
        c + 7,
        Some(cached_euros(statement.shared_total)),
        &st.euro_bold,
    ));
    columns.push((c + 8, Some(cached_euros(t.credits)), &st.euro_bold));
    columns.push((c + 9, Some(cached_euros(t.payable)), &st.euro_bold));
    if let (Some(standalone), Some(savings)) = (t.standalone, t.savings) {
        columns.push((c + 10, Some(cached_euros(standalone)), &st.euro_bold));
        columns.push((c + 11, Some(cached_euros(savings)), &st.euro_bold));
    }
    match member {
        None => {
            ws.write_string_with_format(row, 0, "Summe", &st.bold)?;
            ws.write_string_with_format(row, c + 1, "1", &st.bold)?;
            for (col, total, fmt) in columns {
                if let Some(cached) = total {
                    write_sum(ws, row, col, (1, last), cached, fmt)?;
                }
            }
        }
        Some(_) => {
            // One member's extract: its row cannot add up to the totals, so they are
            // values for the whole federation.
            ws.write_string_with_format(
                row,
                0,
                format!("Verbund gesamt ({n} Mitglieder)"),
                &st.bold,
            )?;
            ws.write_string_with_format(row, c + 1, "1", &st.bold)?;
            for (col, total, fmt) in columns {
                if let Some(cached) = total {
                    ws.write_number_with_format(row, col, cached.parse().unwrap_or(f64::NAN), fmt)?;
                }
            }
            ws.write_string(
                row + 2,
                0,
                format!(
                    "Auszug: nur die Zeile des Mitglieds; die Zeile „Verbund gesamt“ enthält die Summen \
                     aller {n} Mitglieder. {} Cent wurden nach den größten Resten verteilt.",
                    t.leftover
                ),
            )?;
        }
    }
    ws.set_freeze_panes(1, 1)?;
    ws.set_row_height(0, 45)?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, 9)?;
    for col in 2..c + 12 {
        ws.set_column_width(col, 15)?;
    }
    ws.set_column_width(c + 1, 22)?;
    Ok(())
}

/// Σ of `metric` over all members that have it.
fn line_metric_sum(doc: &StatementDocument, metric: Metric) -> u64 {
    let members = &doc.statement.allocation.members;
    members.iter().filter_map(|m| m.metrics.get(&metric)).sum()
}
