//! Reading bytes into serde structs with positions and paths in every error.
//!
//! The raw structs of each format make almost every field an `Option` and check required
//! fields by hand afterwards: serde's "missing field" error names only the field, not
//! where in the document it is missing, and uploads deserve the full path.

use serde::de::DeserializeOwned;

use super::error::{DataFormat, ImportError, Position};

/// The bytes as text, without a UTF-8 byte order mark.
///
/// Fails with [`ImportError::Empty`] for empty or whitespace-only input and with
/// [`ImportError::NotText`] for NUL bytes or invalid UTF-8 (binary files).
pub(crate) fn text(bytes: &[u8]) -> Result<&str, ImportError> {
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    let (skipped, body) = match bytes.strip_prefix(BOM) {
        Some(rest) => (BOM.len(), rest),
        None => (0, bytes),
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    let utf8 = std::str::from_utf8(body);
    let valid = utf8.as_ref().map_or_else(|e| e.valid_up_to(), |s| s.len());
    // NUL is valid UTF-8 but never appears in a text catalog; it is the surest sign of a
    // binary file and gives a clearer message than a parser error would.
    let nul = body
        .get(..valid)
        .and_then(|b| b.iter().position(|&b| b == 0));
    match (utf8, nul) {
        (Ok(text), None) => Ok(text),
        (_, Some(offset)) => Err(ImportError::NotText {
            offset: skipped + offset,
        }),
        (Err(_), None) => Err(ImportError::NotText {
            offset: skipped + valid,
        }),
    }
}

/// Deserializes YAML, reporting the document path and line/column of any error.
pub(crate) fn from_yaml<T: DeserializeOwned>(text: &str) -> Result<T, ImportError> {
    let mut path = None;
    let result =
        serde_saphyr::with_deserializer_from_str_with_options(text, yaml_options(), |de| {
            // The error must leave the closure as an error (not inside `Ok`), otherwise the
            // reader goes on and reports the unread rest as a second document.
            serde_path_to_error::deserialize(de).map_err(|e| {
                path = Some(e.path().to_string());
                e.into_inner()
            })
        });
    result.map_err(|e| yaml_error(&e, path))
}

fn yaml_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // The defaults suit configuration files; large frameworks (NIST 800-53 is 1.4 MB)
    // need more room. Depth and alias limits stay at their defaults.
    budget.max_events = 8_000_000;
    budget.max_nodes = 2_000_000;
    // Catalogs use no anchors and aliases; a "billion laughs" document (aliases of aliases
    // expanding to 10^9 nodes) stops after 100,000 copied or replayed events, in about
    // 0.2 s of a debug build, instead of after the defaults' million.
    budget.max_recorded_anchor_events = 100_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options.with_snippet = false;
    options
}

fn yaml_error(e: &serde_saphyr::Error, path: Option<String>) -> ImportError {
    use serde_saphyr::Error as E;
    let position = e.location().and_then(|l| {
        (l.line() > 0).then(|| Position {
            line: l.line(),
            column: l.column(),
        })
    });
    let plain = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let message = match original(e) {
        // The reader's own wording is a debug dump ("budget breached: Depth { depth: 65 }").
        E::Budget { breach, .. } => match format!("{breach:?}") {
            b if b.starts_with("Depth") => "the document is nested more than 64 levels deep".into(),
            b if b.starts_with("RecordedAnchor") || b.starts_with("Alias") => {
                "the document repeats anchored parts (*alias) more often than the YAML reader \
                 allows"
                    .into()
            }
            b => format!("the document exceeds a size limit of the YAML reader ({b})"),
        },
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => {
            "the document repeats anchored parts (*alias) more often than the YAML reader allows"
                .into()
        }
        _ => strip_position(e.render_with_options(plain), position, ", "),
    };
    // Type and shape mismatches come from serde's side; everything else is the parser
    // rejecting the text itself.
    let is_data = matches!(
        original(e),
        E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::SerdeUnknownVariant { .. }
            | E::SerdeMissingField { .. }
            | E::InvalidScalar { .. }
            | E::NullIntoString { .. }
            | E::Unexpected { .. }
            | E::Message { .. }
    );
    match path {
        Some(path) if is_data => ImportError::InvalidValue {
            format: DataFormat::Yaml,
            path: display_path(path),
            position,
            message,
        },
        _ => ImportError::Syntax {
            format: DataFormat::Yaml,
            position,
            message,
        },
    }
}

/// The error inside any snippet and alias-location wrappers.
fn original(e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    match e {
        serde_saphyr::Error::WithSnippet { error, .. }
        | serde_saphyr::Error::AliasError { error, .. } => original(error),
        other => other,
    }
}

/// Deserializes JSON, reporting the document path and line/column of any error.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, ImportError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        json_error(e.inner(), Some(path))
    })?;
    de.end().map_err(|e| json_error(&e, None))?;
    Ok(value)
}

fn json_error(e: &serde_json::Error, path: Option<String>) -> ImportError {
    let position = (e.line() > 0).then(|| Position {
        line: e.line() as u64,
        column: e.column() as u64,
    });
    let message = strip_position(e.to_string(), position, " ");
    match (e.classify(), path) {
        (serde_json::error::Category::Data, Some(path)) => ImportError::InvalidValue {
            format: DataFormat::Json,
            path: display_path(path),
            position,
            message,
        },
        _ => ImportError::Syntax {
            format: DataFormat::Json,
            position,
            message,
        },
    }
}

/// Removes the " at line L, column C" suffix parsers append, since the position is
/// reported separately.
fn strip_position(message: String, position: Option<Position>, separator: &str) -> String {
    let Some(p) = position else { return message };
    let suffix = format!(" at line {}{separator}column {}", p.line, p.column);
    match message.strip_suffix(&suffix) {
        Some(m) => m.to_owned(),
        None => message,
    }
}

/// How the root of the document is named in paths.
pub(crate) const TOP_LEVEL: &str = "the top level";

fn display_path(path: String) -> String {
    if path == "." {
        TOP_LEVEL.to_owned()
    } else {
        path
    }
}

/// Trims text and turns empty text into `None`, so that blank YAML values and
/// whitespace-only prose do not show up as empty labels.
pub(crate) fn clean(text: Option<String>) -> Option<String> {
    let text = text?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else if trimmed.len() == text.len() {
        Some(text)
    } else {
        Some(trimmed.to_owned())
    }
}

/// Position in document order as the domain's `u32`; saturates instead of failing since
/// the YAML/JSON size limits keep real counts far below it.
pub(crate) fn order(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}
