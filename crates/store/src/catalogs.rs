//! Requirement catalog storage: revisions of imported catalogs and their nodes. Catalogs are
//! shared by the whole federation; authorize imports before calling.

use verbund_domain::catalog::{Catalog, CatalogNode};
use verbund_domain::{CatalogId, FederationId};

use crate::{AuditActor, CatalogSummary, Db, Result, Store, backend};

impl Store {
    /// Stores a validated catalog as a new revision in one transaction; an identical catalog
    /// (same content hash) is not stored again: returns the existing one and `false`.
    pub async fn import_catalog(
        &self,
        by: &AuditActor,
        fed: FederationId,
        catalog: &Catalog,
        content_hash: &str,
    ) -> Result<(CatalogSummary, bool)> {
        dispatch!(self.import_catalog(by, fed, catalog, content_hash))
    }

    /// All catalog revisions, by name, newest revision first.
    pub async fn catalogs(&self, fed: FederationId) -> Result<Vec<CatalogSummary>> {
        dispatch!(self.catalogs(fed))
    }

    /// One catalog revision.
    pub async fn catalog(&self, fed: FederationId, id: CatalogId) -> Result<CatalogSummary> {
        dispatch!(self.catalog(fed, id.0))
    }

    /// The nodes of a catalog revision in document order.
    pub async fn catalog_nodes(
        &self,
        fed: FederationId,
        id: CatalogId,
    ) -> Result<Vec<CatalogNode>> {
        dispatch!(self.catalog_nodes(fed, id.0))
    }
}
