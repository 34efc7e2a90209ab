//! PDF and XLSX documents built from domain data.
//!
//! - [`member_statement_pdf`]: one member's cost statement (Kostenbeteiligung) as a German
//!   letter that a treasurer (Kämmerei) can check by hand: tagged PDF/A-2a and PDF/UA-1,
//!   laid out by typst with embedded fonts (no system fonts, no network).
//! - [`statement_xlsx`]: the whole calculation as a workbook, for all members or one.
//! - [`committee_pdf`], [`committee_xlsx`]: the federation comparison for the committee.
//! - [`assessment_xlsx`]: a member's assessment as a workbook to fill in offline and
//!   import again (`verbund_formats::assessment_xlsx::import_xlsx`).
//! - [`table_xlsx`]: a plain table (the structure-analysis inventory) as a workbook.
//! - [`plan_pdf`], [`plan_xlsx`]: a member's implementation plan (Realisierungsplan).
//! - [`structure_pdf`], [`structure_xlsx`]: a member's structure analysis and protection
//!   needs (Strukturanalyse und Schutzbedarfsfeststellung).
//!
//! The statement documents take an [`IssuedStatement`]: a [`StatementDocument`] as stored
//! when it was issued, plus its number, date and issuer.

mod assessment_xlsx;
mod committee;
mod format;
mod letter;
mod pact_handbook;
mod pact_settlement;
mod plan;
mod printable;
mod render;
mod structure_report;
mod table_xlsx;
mod workbook;

pub use assessment_xlsx::{ASSESSMENT_SHEET, assessment_xlsx};
pub use committee::{
    CommitteeReport, Level, MemberLine, TopicLine, TrendLine, committee_pdf, committee_xlsx,
};
pub use pact_handbook::{
    HandbookContact, HandbookContent, HandbookPartner, HandbookProcess, HandbookReport,
    equipment_de, kind_de, pact_handbook_pdf, skill_de,
};
pub use pact_settlement::{
    MemberSums, SettlementLine, SettlementReport, pact_settlement_xlsx, settlement_sums,
};
pub use plan::{PlanReport, plan_pdf, plan_xlsx, priority_de, status_de};
pub use structure_report::{ReportTable, StructureReport, structure_pdf, structure_xlsx};
pub use table_xlsx::table_xlsx;
use thiserror::Error;
use verbund_domain::OrgId;
use verbund_domain::costs::StatementDocument;

/// The issuing office as it appears at the top of a letter and in workbook properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    /// The office that issues the statement, e.g. "Interkommunale
    /// Informationssicherheitsstelle Kreis Groß-Gerau".
    pub office_name: String,
    /// Postal address; line breaks separate lines.
    pub office_address: Option<String>,
    /// The cooperation the members belong to, e.g. "Informationssicherheitsverbund Kreis
    /// Groß-Gerau".
    pub federation_name: String,
    /// How to reach the office (phone, e-mail); line breaks separate lines.
    pub contact: Option<String>,
    /// Who signs letters for the office now (name, role); a statement that recorded its
    /// signer when issued prints that one instead.
    pub signer: Option<verbund_domain::costs::Signer>,
    /// The federation's logo, printed beside its name (none: the name alone).
    pub logo: Option<verbund_domain::logo::Logo>,
}

/// An issued statement: the stored document with its number, date and issuer.
#[derive(Debug, Clone)]
pub struct IssuedStatement<'a> {
    /// The statement's number (its ID in the store).
    pub id: i64,
    /// The issue date as printed, e.g. "23.11.2026".
    pub issued_at: String,
    /// Who issued it, e.g. "Maria Beispiel".
    pub issued_by: String,
    /// What was calculated.
    pub document: &'a StatementDocument,
}

/// Why a report cannot be produced.
#[derive(Debug, Error)]
pub enum ReportError {
    /// The member has no bill or allocation line in the statement.
    #[error("member {member} is not part of the statement")]
    MemberNotInStatement {
        /// The member asked for.
        member: OrgId,
    },
    /// Typst failed to lay out or export the document (a bug in a template, not in data).
    #[error("the PDF could not be rendered: {0}")]
    Render(String),
    /// The workbook could not be written.
    #[error("the workbook could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// One member's statement as a letter-style PDF (German): letterhead, recipient (member
/// name and postal address), payment block (amount, due date, payment reference, the
/// office's bank account; when the statement recorded payment terms), subject "Kostenbeteiligung {year} – Interkommunale Informationssicherheit", the
/// budget by category, subsidies, the amount to split, the key explained step by step
/// with the member's metric values, its share (exact percentage), amount, credits,
/// payable amount, standalone cost and savings, and how the rounding to the cent works
/// (largest remainder), signed by the office's signer (name and role) and the office. Other
/// members' figures do not appear, only totals.
///
/// Rendering is CPU-bound (typst layout, tens of milliseconds in a release build); call it
/// from a blocking task in async code. The PDF is tagged and conforms to PDF/UA-1; when `issued_at` is a date ("23.11.2026" or
/// "2026-11-23") it also conforms to PDF/A-2a with that creation date.
///
/// Fails with [`ReportError::MemberNotInStatement`] if `member` has no bill in the
/// statement, and with [`ReportError::Render`] if typst fails.
pub fn member_statement_pdf(
    s: &IssuedStatement,
    member: OrgId,
    lh: &Letterhead,
) -> Result<Vec<u8>, ReportError> {
    member_statement_pdf_with_arms(s, member, lh, None)
}

/// [`member_statement_pdf`] with the member's coat of arms (Wappen) above its address, and
/// the federation's logo (from the letterhead) beside its name. An image typst cannot read
/// is left out rather than failing the letter.
pub fn member_statement_pdf_with_arms(
    s: &IssuedStatement,
    member: OrgId,
    lh: &Letterhead,
    arms: Option<&verbund_domain::logo::Logo>,
) -> Result<Vec<u8>, ReportError> {
    let data = letter::letter_data(s, member, lh)?;
    let mut images = render::Embedded::logo(&lh.logo);
    if let Some(logo) = arms {
        images.push(render::Embedded { key: "arms", logo });
    }
    render::pdf_with_images(letter::TEMPLATE, data, format::date(&s.issued_at), &images)
}

/// The whole calculation as an XLSX workbook: sheet "Übersicht" (budget by category,
/// subsidies, shared total), sheet "Verteilung" (one row per member: metrics, membership
/// days, share as exact fraction and %, amount before rounding, floor, remainder, extra
/// cent, amount, credits, payable, standalone, savings; totals as `SUM` formulas whose
/// cached values are the exact cent totals), sheet "Schlüssel" (the key steps).
///
/// With `member = Some(id)` only that member's rows appear in "Verteilung" and
/// "Schlüssel", plus the federation totals it needs to check them; with `None` all
/// members. Fails with [`ReportError::MemberNotInStatement`] for a member without a bill,
/// and with [`ReportError::Xlsx`] if the workbook cannot be written.
pub fn statement_xlsx(
    s: &IssuedStatement,
    member: Option<OrgId>,
    lh: &Letterhead,
) -> Result<Vec<u8>, ReportError> {
    workbook::statement_xlsx(s, member, lh)
}
