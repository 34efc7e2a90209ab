//! Requirement catalog importers: bytes in, a validated [`Catalog`] out.
//!
//! - [`import_auto`] recognises the format from the content;
//! - [`ciso_assistant::parse`] reads CISO Assistant libraries (YAML);
//! - [`oscal::parse_catalog`] reads OSCAL catalogs and [`oscal::resolve_profile`] applies
//!   an OSCAL profile (e.g. a baseline) to one (JSON).
//!
//! Every importer is pure (no IO), never panics on any input, and returns an
//! [`ImportError`] worded for the person who uploaded the file: syntax errors with line
//! and column, missing fields with their path, rule violations naming the node. Every
//! result has passed [`Catalog::validate`].

pub mod ciso_assistant;
mod de;
mod error;
pub mod oscal;
pub mod risk_library;

pub use error::{DataFormat, ImportError, Position};
pub use verbund_domain::catalog::{Catalog, CatalogError, SourceFormat};

/// Imports a catalog file of any supported format, recognised by its content:
///
/// - JSON with a top-level `catalog`: an OSCAL catalog;
/// - JSON with a top-level `profile`: an OSCAL profile, which fails with
///   [`ImportError::ProfileNeedsCatalog`] (use [`oscal::resolve_profile`]);
/// - YAML with `objects`: a CISO Assistant library, which must hold exactly one
///   framework.
///
/// `file_name` only serves the error messages (and whether a YAML syntax error is worth
/// reporting as such: for a `.yaml`/`.yml` file it is, for anything else the file is
/// reported as not recognised).
///
/// Fails with [`ImportError::Empty`], [`ImportError::NotText`] (binary files),
/// [`ImportError::Unrecognised`], or whatever the format's importer reports.
pub fn import_auto(bytes: &[u8], file_name: &str) -> Result<Catalog, ImportError> {
    let text = de::text(bytes)?;
    let unrecognised = |hint: String| ImportError::Unrecognised {
        file_name: file_name.to_owned(),
        hint,
    };
    match text.trim_start().chars().next() {
        Some('{') => {
            let doc: oscal::RawDocument = de::from_json(text)?;
            if doc.catalog.is_some() || doc.profile.is_some() {
                return oscal::from_document(doc);
            }
            Err(unrecognised(match doc.other_model() {
                Some(model) => format!("an OSCAL {model} is not a requirement catalog"),
                None => "JSON without a top-level `catalog` (OSCAL catalog) or `profile` (OSCAL \
                         profile)"
                    .to_owned(),
            }))
        }
        Some('<') => Err(unrecognised(
            "XML is not supported; use the JSON form of OSCAL documents".to_owned(),
        )),
        _ => {
            let library = match ciso_assistant::read(text) {
                Ok(library) => library,
                Err(ImportError::InvalidValue { path, .. }) if path == de::TOP_LEVEL => {
                    return Err(unrecognised(
                        "neither a JSON object nor a YAML mapping at the top level".to_owned(),
                    ));
                }
                Err(e @ ImportError::Syntax { .. }) if !is_yaml_name(file_name) => {
                    return Err(unrecognised(format!("neither JSON nor YAML ({e})")));
                }
                Err(e) => return Err(e),
            };
            if library.objects.is_some() {
                return ciso_assistant::single(ciso_assistant::convert(library)?);
            }
            Err(unrecognised(
                if library.catalog.is_some() || library.profile.is_some() {
                    "OSCAL in YAML is not supported; use the JSON form".to_owned()
                } else {
                    "YAML without `objects.framework`, so not a CISO Assistant library".to_owned()
                },
            ))
        }
    }
}

fn is_yaml_name(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}
