//! Requirement catalogs for the HTML and JSON handlers and the CLI: parse, validate, store.

use serde::Serialize;
use sha2::{Digest, Sha256};
use verbund_domain::CatalogId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::catalog::{Catalog, CatalogNode};
use verbund_domain::risk::library::RiskLibrary;
use verbund_store::{AuditActor, CatalogSummary, Store};

use crate::Services;
use crate::error::{Error, Result};

/// Which importer to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// Detect from the content.
    #[default]
    Auto,
    /// CISO Assistant YAML library.
    Ciso,
    /// NIST OSCAL JSON catalog.
    Oscal,
}

/// Parses and validates a catalog file without storing it.
pub fn parse(bytes: &[u8], file_name: &str, format: ImportFormat) -> Result<Catalog> {
    checked(parse_file(bytes, file_name, format), file_name)
}

fn checked(
    parsed: std::result::Result<Catalog, verbund_formats::catalog::ImportError>,
    file_name: &str,
) -> Result<Catalog> {
    let catalog = parsed.map_err(|e| Error::BadInput {
        code: "error-import",
        detail: format!("{file_name}: {e}"),
    })?;
    catalog.validate().map_err(|e| Error::BadInput {
        code: "error-import",
        detail: format!("{file_name}: {e}"),
    })?;
    Ok(catalog)
}

fn parse_file(
    bytes: &[u8],
    file_name: &str,
    format: ImportFormat,
) -> std::result::Result<Catalog, verbund_formats::catalog::ImportError> {
    use verbund_formats::catalog::{ciso_assistant, import_auto, oscal};
    match format {
        ImportFormat::Auto => import_auto(bytes, file_name),
        ImportFormat::Ciso => ciso_assistant::parse(bytes),
        ImportFormat::Oscal => oscal::parse_catalog(bytes),
    }
}

/// The result of an import.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// The stored revision; none for a library that brings only threats and reference
    /// controls.
    #[schema(value_type = Option<Object>)]
    pub catalog: Option<CatalogSummary>,
    /// `false` when exactly this content had been imported before (nothing was stored).
    pub created: bool,
    /// What a CISO Assistant library brought for the risk analysis (threats, reference
    /// controls as measure templates, requirement links); none when it has no such objects.
    pub risk_library: Option<verbund_store::RiskLibraryImported>,
}

/// A catalog as stored.
#[derive(Debug)]
pub struct Stored {
    /// The revision.
    pub catalog: CatalogSummary,
    /// `false` when exactly this content had been imported before (nothing was stored).
    pub created: bool,
}

/// Stores a parsed catalog as a new revision (or finds the identical one).
pub async fn store(store: &Store, by: &AuditActor, catalog: &Catalog) -> Result<Stored> {
    let fed = crate::federation(store).await?;
    let json = serde_json::to_vec(catalog).map_err(|e| Error::Internal(e.to_string()))?;
    let hash = hex::encode(Sha256::digest(&json));
    let (catalog, created) = store.import_catalog(by, fed.id, catalog, &hash).await?;
    Ok(Stored { catalog, created })
}

/// The threats, reference controls and requirement links of a CISO Assistant library; empty
/// for any other file (OSCAL JSON has none, and a file that is no library at all is reported
/// by the catalog parser).
fn risk_objects(bytes: &[u8], file_name: &str, format: ImportFormat) -> Result<RiskLibrary> {
    let yaml = match format {
        ImportFormat::Oscal => false,
        ImportFormat::Ciso => true,
        ImportFormat::Auto => !String::from_utf8_lossy(&bytes[..bytes.len().min(64)])
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with(['{', '<']),
    };
    if !yaml {
        return Ok(RiskLibrary::default());
    }
    verbund_formats::catalog::risk_library::parse(bytes).map_err(|e| Error::BadInput {
        code: "error-import",
        detail: format!("{file_name}: {e}"),
    })
}

/// Imports a catalog file (office).
pub async fn import(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    bytes: &[u8],
    file_name: &str,
    format: ImportFormat,
) -> Result<Imported> {
    actor.check_office(Permission::ManageFederation)?;
    // A library with threats or controls but no framework imports as those lists; any other
    // file must be a catalog, and its errors are the catalog parser's.
    let parsed = parse_file(bytes, file_name, format);
    let no_framework = matches!(
        parsed,
        Err(verbund_formats::catalog::ImportError::NoFramework)
    );
    let catalog = if no_framework {
        None
    } else {
        Some(checked(parsed, file_name)?)
    };
    let library = risk_objects(bytes, file_name, format)?;
    if catalog.is_none() && library.is_empty() {
        return Err(Error::BadInput {
            code: "error-import",
            detail: format!("{file_name}: no framework, threats or reference controls in library"),
        });
    }
    // The library first: its writes are the ones that can still be refused (a duplicate
    // reference), and then nothing of the file is stored.
    let risk_library = if library.is_empty() {
        None
    } else {
        let fed = crate::federation(&st.store).await?;
        Some(
            st.store
                .import_risk_library_federation_wide(by, fed.id, &library)
                .await?,
        )
    };
    let mut imported = match catalog {
        Some(c) => {
            let s = store(&st.store, by, &c).await?;
            Imported {
                catalog: Some(s.catalog),
                created: s.created,
                risk_library: None,
            }
        }
        None => Imported {
            catalog: None,
            created: false,
            risk_library: None,
        },
    };
    if let Some(r) = risk_library {
        imported.created |= r.threats_new + r.controls_new + r.links > 0;
        imported.risk_library = Some(r);
    }
    Ok(imported)
}

/// Catalog revisions: every logged-in user may read them (members answer against them).
pub async fn list(st: &Services) -> Result<Vec<CatalogSummary>> {
    let fed = crate::federation(&st.store).await?;
    Ok(st.store.catalogs(fed.id).await?)
}

/// One catalog revision with all its nodes in document order.
pub async fn get(st: &Services, id: CatalogId) -> Result<(CatalogSummary, Vec<CatalogNode>)> {
    let fed = crate::federation(&st.store).await?;
    Ok((
        st.store.catalog(fed.id, id).await?,
        st.store.catalog_nodes(fed.id, id).await?,
    ))
}

/// The texts of catalog `id` in language `lang` (a language code such as `en`), for pages
/// that show its requirements and topics (assessment rows, the comparison); `None` when the
/// catalog is written in that language or carries no translation into it. Catalogs are
/// readable by every signed-in user, so no actor is needed.
pub async fn texts(
    st: &Services,
    id: CatalogId,
    lang: &str,
) -> Result<Option<verbund_domain::catalog::texts::LocalizedTexts>> {
    let fed = crate::federation(&st.store).await?;
    if st.store.catalog(fed.id, id).await?.locale == lang {
        return Ok(None);
    }
    let nodes = st.store.catalog_nodes(fed.id, id).await?;
    let t = verbund_domain::catalog::texts::LocalizedTexts::new(&nodes, lang);
    Ok((!t.is_empty()).then_some(t))
}
