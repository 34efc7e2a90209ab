//! Subscriptions to CSAF providers: the registered providers, what the last fetch of each
//! document saw (so unchanged documents are not fetched again), and every run's result.
//!
//! Office data only: every call takes a scope that must reach all members (the office or
//! the system acting for it), else `NotFound`.

use serde::{Deserialize, Serialize};
use verbund_domain::authz::Scope;
use verbund_domain::{CsafProviderId, FederationId};

use crate::{AuditActor, Db, Result, Store, backend};

/// A provider the office subscribed to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsafProvider {
    /// ID.
    pub id: CsafProviderId,
    /// URL of its `provider-metadata.json`.
    pub metadata_url: String,
    /// `publisher.name` from the metadata (absent until the first run read it).
    pub publisher: Option<String>,
    /// Registered at (Unix ms).
    pub created_at_ms: i64,
    /// The last run's end (Unix ms).
    pub last_run_at_ms: Option<i64>,
}

/// What the last successful fetch of one document saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderDocumentState {
    /// The document's URL.
    pub url: String,
    /// The listing's timestamp (`changes.csv`, ROLIE `updated`).
    pub listed_changed: Option<String>,
    /// The server's `ETag`.
    pub etag: Option<String>,
    /// The server's `Last-Modified`.
    pub last_modified: Option<String>,
    /// The verified digest (hex).
    pub digest: Option<String>,
    /// The advisory's tracking id.
    pub tracking_id: Option<String>,
    /// Its version.
    pub version: Option<String>,
}

/// One document that failed in a run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunFailure {
    /// The document's URL.
    pub url: String,
    /// Why (German, naming the field or the file).
    pub error: String,
}

/// One run over a provider.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderRun {
    /// ID.
    pub id: i64,
    /// The provider.
    pub provider_id: CsafProviderId,
    /// Start (Unix ms).
    pub started_at_ms: i64,
    /// End (Unix ms).
    pub finished_at_ms: i64,
    /// Documents the listings named.
    pub listed: i64,
    /// Documents downloaded (new, changed, or unknown to the listing's timestamps).
    pub fetched: i64,
    /// Documents imported (new advisories or newer revisions).
    pub imported: i64,
    /// Documents not fetched or not changed (listing timestamp, 304, same version).
    pub unchanged: i64,
    /// Documents that failed (see `failures`).
    pub failed: i64,
    /// A failure of the whole run (metadata or a listing unreadable).
    pub error: Option<String>,
    /// The failed documents with their reasons.
    pub failures: Vec<RunFailure>,
}

impl Store {
    /// Registers a provider by its metadata URL (audited `csaf_provider.create`) and returns
    /// it with `true`; a URL already registered returns the existing provider with `false`.
    pub async fn create_csaf_provider(
        &self,
        by: &AuditActor,
        office: &Scope,
        federation: FederationId,
        metadata_url: &str,
    ) -> Result<(CsafProvider, bool)> {
        dispatch!(self.create_csaf_provider(by, office, federation, metadata_url))
    }

    /// Removes a provider with its document states and runs (audited `csaf_provider.delete`);
    /// imported advisories stay.
    pub async fn delete_csaf_provider(
        &self,
        by: &AuditActor,
        office: &Scope,
        id: CsafProviderId,
    ) -> Result<()> {
        dispatch!(self.delete_csaf_provider(by, office, id))
    }

    /// The registered providers, oldest first.
    pub async fn list_csaf_providers_federation_wide(
        &self,
        office: &Scope,
    ) -> Result<Vec<CsafProvider>> {
        dispatch!(self.list_csaf_providers_federation_wide(office))
    }

    /// One provider (`NotFound` if unknown).
    pub async fn get_csaf_provider(
        &self,
        office: &Scope,
        id: CsafProviderId,
    ) -> Result<CsafProvider> {
        dispatch!(self.get_csaf_provider(office, id))
    }

    /// What the last successful fetch of each of the provider's documents saw.
    pub async fn csaf_provider_documents(
        &self,
        office: &Scope,
        id: CsafProviderId,
    ) -> Result<Vec<ProviderDocumentState>> {
        dispatch!(self.csaf_provider_documents(office, id))
    }

    /// Records a document's state after a successful fetch (insert or replace).
    pub async fn save_csaf_provider_document(
        &self,
        office: &Scope,
        id: CsafProviderId,
        doc: &ProviderDocumentState,
    ) -> Result<()> {
        dispatch!(self.save_csaf_provider_document(office, id, doc))
    }

    /// Stores a run's result, the publisher name read in it, and the provider's last run
    /// time; returns the run's id.
    pub async fn save_csaf_provider_run(
        &self,
        office: &Scope,
        run: &ProviderRun,
        publisher: Option<&str>,
    ) -> Result<i64> {
        dispatch!(self.save_csaf_provider_run(office, run, publisher))
    }

    /// The provider's runs, newest first (at most `limit`).
    pub async fn list_csaf_provider_runs(
        &self,
        office: &Scope,
        id: CsafProviderId,
        limit: i64,
    ) -> Result<Vec<ProviderRun>> {
        dispatch!(self.list_csaf_provider_runs(office, id, limit))
    }
}
