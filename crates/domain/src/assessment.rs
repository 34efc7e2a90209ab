//! Assessments: what a member answers for each requirement of a catalog, and how the
//! answers add up to progress, a score and federation-wide comparisons.
//!
//! # Scoring rule
//!
//! The score follows the BSI IT-Grundschutz-Check. Every assessable requirement is worth
//! 10,000 basis points (100 %):
//!
//! | status | German label | points |
//! |---|---|---|
//! | yes | ja | 10,000 |
//! | partial | teilweise | 5,000 |
//! | no | nein | 0 |
//! | unanswered | offen | 0 |
//! | not applicable, justified | entbehrlich mit Begründung | out of the score |
//! | not applicable, no justification | entbehrlich ohne Begründung | 0 |
//!
//! `score = (ja + ½·teilweise) / (all − justified entbehrlich)`, rounded half up
//! ([`Tally::score_bp`]). Example: 10 requirements, 4 ja, 2 teilweise, 1 nein, 1 offen,
//! 2 entbehrlich with justification: `(4 + 1) / 8 = 62.5 %`. A requirement that does not
//! apply (no server room, no mobile devices) must neither lower nor raise the score, so a
//! justified *entbehrlich* leaves numerator and denominator: counting it as fulfilled
//! would lift a poorly implemented catalog towards 100 % just by declaring parts of it
//! dispensable. The justification is mandatory so that an auditor can later check why a
//! requirement was skipped ([`Answer::validated`] refuses *entbehrlich* without one);
//! answers that reach the scoring without one (older data, imports) count like *nein* —
//! 0 points, still in the denominator — and are counted separately in
//! [`Tally::not_applicable_unjustified`] so that they can be shown and fixed. If every
//! requirement is justified *entbehrlich* there is no score (`None`).
//!
//! Progress (answered / all, [`Tally::progress_bp`]) is separate: every status but *offen*
//! counts as answered, justified *entbehrlich* included.
//!
//! A member that has answered nothing in a catalog (or a topic) has not assessed it yet
//! (*noch nicht bewertet*): its score of 0 would only pull the federation average down,
//! so the comparison leaves it out of the average, minimum and maximum
//! ([`Tally::compared_score_bp`]); the same holds per topic.
//!
//! All percentages are basis points (1 bp = 0.01 %) in integers, so that sums, averages
//! and comparisons are exact and the same everywhere; [`format_bp_de`] renders them.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::validation::{ValidationErrors, optional_multiline, optional_text};

mod compare;
pub mod group;
mod score;

pub use compare::{ChangeLine, Trend, compare_snapshots, trend};

/// The columns of an exported assessment, in order: the CSV export, the XLSX workbook and the
/// import of both use this one list.
pub const EXPORT_COLUMNS: [&str; 10] = [
    "Kennung",
    "URN",
    "Thema",
    "Anforderung",
    "Priorität",
    "Status",
    "Begründung",
    "Verantwortlich",
    "Fällig am",
    "Kommentar",
];
pub use score::{Spread, Tally, band, format_bp_de, points, spread};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// Longest justification or comment, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest owner name, in characters.
pub const MAX_OWNER_CHARS: usize = 200;

/// Answer status of one requirement. serde snake_case: `unanswered`, `yes`, `partial`,
/// `no`, `not_applicable`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AnswerStatus {
    /// Not answered yet (*offen*).
    #[default]
    Unanswered,
    /// Fully implemented (*ja*).
    Yes,
    /// Partly implemented (*teilweise*).
    Partial,
    /// Not implemented (*nein*).
    No,
    /// Does not apply to this member (*entbehrlich*); needs a justification.
    NotApplicable,
}

impl AnswerStatus {
    /// Every status, in the order forms and exports list them.
    pub const ALL: [AnswerStatus; 5] = [
        AnswerStatus::Unanswered,
        AnswerStatus::Yes,
        AnswerStatus::Partial,
        AnswerStatus::No,
        AnswerStatus::NotApplicable,
    ];

    /// The serde name, e.g. `not_applicable`.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::Unanswered => "unanswered",
            AnswerStatus::Yes => "yes",
            AnswerStatus::Partial => "partial",
            AnswerStatus::No => "no",
            AnswerStatus::NotApplicable => "not_applicable",
        }
    }

    /// Parses a status from a form, an API call or a spreadsheet cell, ignoring case and
    /// surrounding whitespace.
    ///
    /// Accepts the serde names, the German labels (`ja`, `teilweise`, `nein`,
    /// `entbehrlich`, `offen`; empty text is `offen`) and the English words `yes`,
    /// `partial`, `no`, `n/a`, `not applicable`, `open`. Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        Some(match s.as_str() {
            "" | "offen" | "unanswered" | "open" | "unbeantwortet" => AnswerStatus::Unanswered,
            "ja" | "yes" => AnswerStatus::Yes,
            "teilweise" | "partial" | "partially" => AnswerStatus::Partial,
            "nein" | "no" => AnswerStatus::No,
            "entbehrlich" | "not_applicable" | "not applicable" | "n/a" | "n.a." | "na" => {
                AnswerStatus::NotApplicable
            }
            _ => return None,
        })
    }

    /// The German label used in exports and imports: `ja`, `teilweise`, `nein`,
    /// `entbehrlich`, `offen`.
    pub fn label_de(self) -> &'static str {
        match self {
            AnswerStatus::Unanswered => "offen",
            AnswerStatus::Yes => "ja",
            AnswerStatus::Partial => "teilweise",
            AnswerStatus::No => "nein",
            AnswerStatus::NotApplicable => "entbehrlich",
        }
    }
}

/// What a member records for one requirement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Answer {
    /// The answer itself.
    #[serde(default)]
    pub status: AnswerStatus,
    /// Why the status was chosen; required for [`AnswerStatus::NotApplicable`].
    #[serde(default)]
    pub justification: Option<String>,
    /// Who is responsible for implementing the requirement (free text: person or unit).
    #[serde(default)]
    pub owner: Option<String>,
    /// When the requirement should be implemented; serialised as `YYYY-MM-DD`.
    #[serde(default, with = "iso_date::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due_on: Option<Date>,
    /// Free-text remark, e.g. for the reviewer.
    #[serde(default)]
    pub comment: Option<String>,
}

impl Answer {
    /// Trims texts (empty becomes `None`, line ends `\n`), checks lengths (justification
    /// and comment at most [`MAX_TEXT_CHARS`], owner at most [`MAX_OWNER_CHARS`] characters:
    /// `error-too-long`), characters (no control characters except line feed and tab in
    /// justification and comment: `error-text-characters`) and that [`AnswerStatus::NotApplicable`] has a justification
    /// (`error-justification-required` on field `justification`).
    ///
    /// Returns the normalised answer, or every field error found.
    pub fn validated(self) -> Result<Answer, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let justification = e
            .check(
                "justification",
                optional_multiline(self.justification.as_deref(), MAX_TEXT_CHARS),
            )
            .flatten();
        let owner = e
            .check(
                "owner",
                optional_text(self.owner.as_deref(), MAX_OWNER_CHARS),
            )
            .flatten();
        let comment = e
            .check(
                "comment",
                optional_multiline(self.comment.as_deref(), MAX_TEXT_CHARS),
            )
            .flatten();
        let too_long = e.0.iter().any(|f| f.field == "justification");
        if self.status == AnswerStatus::NotApplicable && justification.is_none() && !too_long {
            e.add("justification", "error-justification-required");
        }
        e.into_result(Answer {
            status: self.status,
            justification,
            owner,
            due_on: self.due_on,
            comment,
        })
    }

    /// Whether the answer has a non-blank justification (what [`points`] asks for).
    pub fn is_justified(&self) -> bool {
        self.justification
            .as_deref()
            .is_some_and(|j| !j.trim().is_empty())
    }

    /// This answer's points: [`points`] of its status and justification (`None` when it
    /// is out of the score).
    pub fn points(&self) -> Option<u32> {
        points(self.status, self.is_justified())
    }
}

/// One requirement with its answer, as exported to and imported from spreadsheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    /// The requirement's URN; imports match rows on it.
    pub urn: String,
    /// The requirement's human-facing identifier, e.g. `VS.BAK.1`.
    pub ref_id: Option<String>,
    /// Name of the topic (top-level node) the requirement belongs to.
    pub topic: String,
    /// The requirement text (its name or description).
    pub requirement: String,
    /// Priority or implementation group label, e.g. `P1`.
    pub priority: Option<String>,
    /// The member's answer.
    pub answer: Answer,
}

#[cfg(test)]
mod tests;
