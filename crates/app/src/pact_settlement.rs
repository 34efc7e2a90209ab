//! The settlement of a crisis between the pact partners as a workbook: hours and costs of
//! every accepted loan and the sums per lending and borrowing member. Whoever sees the
//! crisis (every user of a pact member, the office) may download it: the loans' hours and
//! costs are shown on the board to the same readers.

use verbund_domain::PactCrisisId;
use verbund_domain::authz::Actor;
use verbund_domain::localtime::fmt_ms;
use verbund_domain::pact::{LoanStatus, Need};
use verbund_reports::{SettlementLine, SettlementReport, equipment_de, skill_de};

use crate::Services;
use crate::error::Result;
use crate::file::{FileOut, ReportFormat, slug};

/// What a request needs, in German.
fn need_de(n: Need) -> &'static str {
    match n {
        Need::Skill(s) => skill_de(s),
        Need::Equipment(t) => equipment_de(t),
    }
}

/// The crisis' accepted loans, in request order (404 for a crisis the actor does not see).
pub async fn lines(st: &Services, actor: &Actor, id: PactCrisisId) -> Result<Vec<SettlementLine>> {
    let v = crate::pact::crisis(st, actor, id).await?;
    Ok(v.requests
        .iter()
        .flat_map(|r| {
            r.loans
                .iter()
                .filter(|l| l.status == LoanStatus::Accepted)
                .map(move |l| SettlementLine {
                    request: format!("#{}: {} × {}", r.id, r.count, need_de(r.need)),
                    borrower: r.org_name.clone(),
                    lender: l.org_name.clone(),
                    resource: l.resource_name.clone(),
                    hours: l.hours,
                    cost_cents: l.cost_cents,
                    note: l.note.clone().unwrap_or_default(),
                })
        })
        .collect())
}

/// The settlement workbook of a crisis.
pub async fn settlement(st: &Services, actor: &Actor, id: PactCrisisId) -> Result<FileOut> {
    let c = crate::pact::visible_crisis(st, actor, id).await?;
    let lines = lines(st, actor, id).await?;
    let fed = crate::federation(&st.store).await?;
    let date: String = fmt_ms(st.now_ms()).chars().take(10).collect();
    let crisis = format!(
        "{}{}: {} ({})",
        if c.exercise { "ÜBUNG – " } else { "" },
        c.org_name,
        c.affected_services,
        fmt_ms(c.declared_at_ms)
    );
    let stem = format!("abrechnung-krise-{}-{}", c.id, slug(&c.org_name));
    crate::file::render_report(ReportFormat::Xlsx, &stem, move |_| {
        verbund_reports::pact_settlement_xlsx(&SettlementReport {
            federation: fed.name,
            pact: c.pact_name,
            crisis,
            date,
            lines: &lines,
        })
    })
    .await
}
