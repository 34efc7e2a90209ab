//! A member's report "Strukturanalyse und Schutzbedarfsfeststellung" (BSI-Standard 200-2) as
//! PDF or workbook: objects, needs with their inheritance paths, links and the provider
//! objects it relies on with only its own contribution.
//!
//! Permission: `ReadStructure` for the organisation (another member's report is 404).
//! Modelling and the IT-Grundschutz check add their results as further sections in
//! [`sections`].

use serde::Deserialize;
use verbund_domain::OrgId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::localtime::fmt_ms;
use verbund_domain::structure::model::MemberStructure;
use verbund_reports::{ReportTable, StructureReport};

use crate::Services;
use crate::error::{Error, Result};
use crate::file::{FileOut, XLSX, slug};

/// The report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// Tagged PDF (PDF/UA-1, PDF/A-2a).
    Pdf,
    /// Excel workbook, one sheet per part.
    Xlsx,
}

/// Sections after the structure analysis. The hook for the later parts of the method: the
/// modelling (modules per object) and the IT-Grundschutz check (results per object and
/// requirement) each return one [`ReportTable`] built from `data`'s objects here.
async fn sections(
    _st: &Services,
    _actor: &Actor,
    _data: &MemberStructure,
) -> Result<Vec<ReportTable>> {
    Ok(Vec::new())
}

/// `org`'s report as PDF or XLSX. Fails with `NotFound` for an organisation outside the
/// actor's reach.
pub async fn report(
    st: &Services,
    actor: &Actor,
    org: OrgId,
    format: ReportFormat,
) -> Result<FileOut> {
    actor.check(Permission::ReadStructure, org)?;
    let data = st
        .store
        .member_structure(&actor.scope(Permission::ReadStructure), org)
        .await?;
    let fed = crate::federation(&st.store).await?;
    let sections = sections(st, actor, &data).await?;
    let date: String = fmt_ms(st.now_ms()).chars().take(10).collect();
    let stem = format!("schutzbedarf-{}", slug(&data.org_name));
    let (filename, content_type) = match format {
        ReportFormat::Pdf => (format!("{stem}.pdf"), "application/pdf"),
        ReportFormat::Xlsx => (format!("{stem}.xlsx"), XLSX),
    };
    // Typst layout and the workbook writer are CPU-bound: keep them off the async workers.
    let bytes = tokio::task::spawn_blocking(move || {
        let r = StructureReport {
            federation: fed.name,
            date,
            data: &data,
            sections,
        };
        match format {
            ReportFormat::Pdf => verbund_reports::structure_pdf(&r),
            ReportFormat::Xlsx => verbund_reports::structure_xlsx(&r),
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(|e| Error::Internal(e.to_string()))?;
    Ok(FileOut {
        filename,
        content_type,
        bytes,
    })
}
