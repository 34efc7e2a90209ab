//! A member's implementation plan (Realisierungsplan) as PDF or workbook: every measure in
//! plan order with owner, deadline, status, cost and effort, and the sums per priority.
//!
//! Permission: whoever reads all of a member's measures (`ReadStructure`: coordinators,
//! management, the office). A measure owner sees only their own measures in the list, so the
//! whole plan is not theirs to print (404, as for another member's).

use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::localtime::fmt_ms;
use verbund_reports::PlanReport;

use crate::Services;
use crate::error::Result;
use crate::file::{FileOut, ReportFormat, slug};

/// `org`'s plan as PDF or XLSX. Fails with `NotFound` for an organisation outside the actor's
/// reach.
pub async fn plan(
    st: &Services,
    actor: &Actor,
    org: OrgId,
    format: ReportFormat,
) -> Result<FileOut> {
    let scope = actor.scope(Permission::ReadStructure);
    let today = crate::measures::today(st);
    let entries = st.store.plan_measures(&scope, org, &today).await?;
    let member = st.store.get_org(&scope, org).await?.name;
    let fed = crate::federation(&st.store).await?;
    let logo = crate::file::member_logo(st, &fed, org).await?;
    let date: String = fmt_ms(st.now_ms()).chars().take(10).collect();
    let stem = format!("realisierungsplan-{}", slug(&member));
    crate::file::render_report(format, &stem, move |format| {
        let r = PlanReport {
            federation: fed.name,
            member,
            date,
            entries: &entries,
            logo,
        };
        match format {
            ReportFormat::Pdf => verbund_reports::plan_pdf(&r),
            ReportFormat::Xlsx => verbund_reports::plan_xlsx(&r),
        }
    })
    .await
}
