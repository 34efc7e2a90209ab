//! Requirement catalogs for the HTML and JSON handlers and the CLI: parse, validate, store.

use serde::Serialize;
use sha2::{Digest, Sha256};
use verbund_domain::CatalogId;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::catalog::{Catalog, CatalogNode};
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
    use verbund_formats::catalog::{ciso_assistant, import_auto, oscal};
    let parsed = match format {
        ImportFormat::Auto => import_auto(bytes, file_name),
        ImportFormat::Ciso => ciso_assistant::parse(bytes),
        ImportFormat::Oscal => oscal::parse_catalog(bytes),
    };
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

/// The result of an import.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// The stored revision.
    #[schema(value_type = Object)]
    pub catalog: CatalogSummary,
    /// `false` when exactly this content had been imported before (nothing was stored).
    pub created: bool,
}

/// Stores a parsed catalog as a new revision (or finds the identical one).
pub async fn store(store: &Store, by: &AuditActor, catalog: &Catalog) -> Result<Imported> {
    let fed = crate::federation(store).await?;
    let json = serde_json::to_vec(catalog).map_err(|e| Error::Internal(e.to_string()))?;
    let hash = hex::encode(Sha256::digest(&json));
    let (catalog, created) = store.import_catalog(by, fed.id, catalog, &hash).await?;
    Ok(Imported { catalog, created })
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
    let catalog = parse(bytes, file_name, format)?;
    store(&st.store, by, &catalog).await
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
