//! What can go wrong when importing a catalog, worded for the person who uploaded it.

use std::fmt;

use verbund_domain::catalog::CatalogError;

/// The text syntax a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    /// YAML (CISO Assistant libraries).
    Yaml,
    /// JSON (OSCAL documents).
    Json,
}

impl fmt::Display for DataFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Yaml => "YAML",
            Self::Json => "JSON",
        })
    }
}

/// A position in the file, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column, from 1.
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a catalog file could not be imported.
///
/// Paths use dots for fields and `[n]` for list positions counted from 0, e.g.
/// `objects.framework.requirement_nodes[12].urn`.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has no content (or only whitespace).
    #[error("the file is empty")]
    Empty,
    /// The file is not UTF-8 text, e.g. a PDF, an image or a spreadsheet.
    #[error("the file is not a text file (binary or non-UTF-8 content at byte {offset})")]
    NotText {
        /// Byte offset of the first offending byte.
        offset: usize,
    },
    /// The content matches none of the supported catalog formats.
    #[error("{file_name}: file format not recognised: {hint}")]
    Unrecognised {
        /// The name the file was uploaded as.
        file_name: String,
        /// What was found instead, and what is supported.
        hint: String,
    },
    /// The file is not well-formed YAML/JSON.
    #[error("{format} syntax error{}: {message}", at_syntax(.position))]
    Syntax {
        /// YAML or JSON.
        format: DataFormat,
        /// Where the parser stopped (known for all but resource-limit errors).
        position: Option<Position>,
        /// The parser's explanation.
        message: String,
    },
    /// Well-formed, but a value has the wrong type or shape.
    #[error("invalid value at {path}{}: {message}", at(.position))]
    InvalidValue {
        /// YAML or JSON.
        format: DataFormat,
        /// Where in the document structure.
        path: String,
        /// Where in the file, if the parser knows.
        position: Option<Position>,
        /// What was expected.
        message: String,
    },
    /// A field the format requires is absent or empty.
    #[error("missing required field {path}")]
    MissingField {
        /// Path of the missing field.
        path: String,
    },
    /// A CISO Assistant library without `objects.framework` (e.g. a risk matrix or a
    /// mapping library).
    #[error("no framework in library")]
    NoFramework,
    /// A CISO Assistant library with more than one framework, given where one is expected.
    #[error(
        "the library contains {} frameworks ({}); import them one by one",
        .urns.len(),
        .urns.join(", ")
    )]
    SeveralFrameworks {
        /// URNs of the frameworks found.
        urns: Vec<String>,
    },
    /// An OSCAL profile given on its own: it only selects controls from a catalog.
    #[error(
        "this is an OSCAL profile: it selects controls from a catalog, so import it together \
         with that catalog"
    )]
    ProfileNeedsCatalog,
    /// A profile was resolved against a catalog that did not come from OSCAL.
    #[error("a profile can only be resolved against an OSCAL catalog, not {urn}")]
    NotOscalCatalog {
        /// URN of the catalog given.
        urn: String,
    },
    /// A profile selects control ids the catalog does not have.
    #[error(
        "the profile selects {} control(s) that are not in the catalog: {}",
        .ids.len(),
        .ids.join(", ")
    )]
    UnknownControls {
        /// The missing control ids, in profile order.
        ids: Vec<String>,
    },
    /// The content parsed but breaks a catalog rule (duplicate URN, missing parent, ...).
    #[error("the catalog is inconsistent: {0}")]
    Invalid(#[from] CatalogError),
}

fn at(position: &Option<Position>) -> String {
    position.map(|p| format!(" ({p})")).unwrap_or_default()
}

fn at_syntax(position: &Option<Position>) -> String {
    position.map(|p| format!(" at {p}")).unwrap_or_default()
}
