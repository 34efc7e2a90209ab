//! Subscription to CSAF providers (issue 15): the office registers a provider by the URL of
//! its `provider-metadata.json`; the recurring job `csaf_providers` (created with the first
//! provider; hourly) and the office's *Jetzt abrufen* walk each provider:
//!
//! `provider-metadata.json` → distributions (a directory with `changes.csv`, or `index.txt`
//! when there is none; ROLIE feeds) → documents. A document whose listing timestamp equals
//! the one of its last successful fetch is not downloaded; else it is fetched conditionally
//! (`If-None-Match` / `If-Modified-Since`: a 304 is unchanged), its `.sha512` (else
//! `.sha256`) file is fetched and compared, and it is imported through the same path as an
//! upload ([`crate::advisories`]): warnings, VEX closing and mails included. One bad document
//! (unreachable, hash missing or wrong, not CSAF) is a failure naming the document and the
//! field; nothing is stored for it and the run goes on. Each run's counts and failures are
//! stored for the office.
//!
//! OpenPGP signatures (`.asc`) are **not verified**: the `pgp` crate would add about 87
//! crates (RSA, DSA, several elliptic curves, legacy ciphers) to the build; the hashes are
//! checked, and a provider is reached over HTTPS.

use std::collections::HashMap;

use serde::Serialize;
use sha2::Digest;
use verbund_domain::CsafProviderId;
use verbund_domain::authz::{Actor, Permission, Scope, SystemAccess};
use verbund_domain::reminder::JobKind;
use verbund_formats::csaf::provider::{
    self as pf, Distribution, HashKind, ListedDocument, ProviderMetadata,
};
use verbund_store::{AuditActor, CsafProvider, ProviderDocumentState, ProviderRun, RunFailure};

use crate::Services;
use crate::advisories::Mailer;
use crate::error::{Error, Result};
use crate::http_client::{FetchError, HttpClient};
use crate::reminders::{MailSite, Texts};

/// Largest `provider-metadata.json` read (bytes).
pub const MAX_METADATA: usize = 1 << 20;
/// Largest listing (`changes.csv`, `index.txt`, ROLIE feed) read (bytes).
pub const MAX_LISTING: usize = 16 << 20;
/// Largest hash file read (bytes).
pub const MAX_HASH_FILE: usize = 4096;
/// Longest metadata URL accepted.
pub const MAX_URL: usize = 500;
/// Runs shown per provider.
pub const RUNS_SHOWN: i64 = 20;
/// Timeout of each request.
pub const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// A provider with its newest run.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProviderOut {
    /// The provider.
    #[serde(flatten)]
    #[schema(inline)]
    pub provider: CsafProvider,
    /// The newest run, if it ran.
    pub last_run: Option<ProviderRun>,
}

fn office_scope(actor: &Actor) -> Result<Scope> {
    actor.check_office(Permission::ManageStructureSettings)?;
    Ok(actor.scope(Permission::ManageStructureSettings))
}

fn system_scope() -> Scope {
    Scope::system(&SystemAccess::for_reason("CSAF provider subscription"))
}

/// Checks a metadata URL: `http://` or `https://` with a host, no spaces, at most
/// [`MAX_URL`] characters (`error-csaf-provider-url`, with the reason in `detail`).
pub fn check_metadata_url(url: &str) -> Result<String> {
    let url = url.trim();
    let bad = |detail: &str| Error::BadInput {
        code: "error-csaf-provider-url",
        detail: detail.to_owned(),
    };
    if url.is_empty() {
        return Err(bad("Die Adresse fehlt."));
    }
    if url.chars().count() > MAX_URL {
        return Err(bad("Die Adresse ist länger als 500 Zeichen."));
    }
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| bad("Die Adresse muss mit https:// oder http:// beginnen."))?;
    if rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .is_empty()
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad(
            "Die Adresse hat keinen Rechnernamen oder enthält Leerzeichen.",
        ));
    }
    Ok(url.to_owned())
}

/// Registers a provider (office, `ManageStructureSettings`; audited) and makes sure the
/// hourly job exists. Returns the provider and whether it is new (an already registered URL
/// returns the existing one).
pub async fn register(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    url: &str,
) -> Result<(CsafProvider, bool)> {
    let office = office_scope(actor)?;
    let url = check_metadata_url(url)?;
    let fed = crate::federation(&st.store).await?;
    let out = st
        .store
        .create_csaf_provider(by, &office, fed.id, &url)
        .await?;
    let kind = JobKind::CsafProviders.code();
    st.store.ensure_job(fed.id, kind, kind, st.now_ms()).await?;
    Ok(out)
}

/// Removes a provider (office; audited). Imported advisories stay.
pub async fn remove(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: CsafProviderId,
) -> Result<()> {
    let office = office_scope(actor)?;
    Ok(st.store.delete_csaf_provider(by, &office, id).await?)
}

/// The providers with their newest run (office).
pub async fn list(st: &Services, actor: &Actor) -> Result<Vec<ProviderOut>> {
    let office = office_scope(actor)?;
    let mut out = Vec::new();
    for p in st
        .store
        .list_csaf_providers_federation_wide(&office)
        .await?
    {
        let last_run = st
            .store
            .list_csaf_provider_runs(&office, p.id, 1)
            .await?
            .into_iter()
            .next();
        out.push(ProviderOut {
            provider: p,
            last_run,
        });
    }
    Ok(out)
}

/// One provider with its last [`RUNS_SHOWN`] runs, newest first (office).
pub async fn runs(
    st: &Services,
    actor: &Actor,
    id: CsafProviderId,
) -> Result<(CsafProvider, Vec<ProviderRun>)> {
    let office = office_scope(actor)?;
    let p = st.store.get_csaf_provider(&office, id).await?;
    let runs = st
        .store
        .list_csaf_provider_runs(&office, id, RUNS_SHOWN)
        .await?;
    Ok((p, runs))
}

/// Walks one provider now (office, *Jetzt abrufen*); the run is stored like the job's.
pub async fn run_now(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: CsafProviderId,
    mailer: Option<&Mailer<'_>>,
) -> Result<ProviderRun> {
    let office = office_scope(actor)?;
    let p = st.store.get_csaf_provider(&office, id).await?;
    let client = HttpClient::new(TIMEOUT).map_err(|e| Error::Internal(e.to_string()))?;
    walk(st, by, &office, &client, &p, mailer).await
}

/// The job: walks every provider; a summary in words. A provider that fails as a whole
/// (metadata unreachable) is recorded in its run and does not fail the job.
pub async fn run_all(st: &Services, texts: &Texts, site: &MailSite) -> Result<String> {
    let office = system_scope();
    let client = HttpClient::new(TIMEOUT).map_err(|e| Error::Internal(e.to_string()))?;
    let mailer = Mailer { texts, site };
    let by = AuditActor::system();
    let (mut n, mut imported, mut failed) = (0, 0, 0);
    for p in st
        .store
        .list_csaf_providers_federation_wide(&office)
        .await?
    {
        let r = walk(st, &by, &office, &client, &p, Some(&mailer)).await?;
        n += 1;
        imported += r.imported;
        failed += r.failed + i64::from(r.error.is_some());
    }
    Ok(format!(
        "{n} CSAF-Quellen abgerufen: {imported} Meldungen eingelesen, {failed} Fehler"
    ))
}

fn failure(url: &str, error: impl std::fmt::Display) -> RunFailure {
    RunFailure {
        url: url.to_owned(),
        error: error.to_string().chars().take(1000).collect(),
    }
}

/// The documents of all distributions, each URL once (the first listing naming it wins).
async fn listings(
    client: &HttpClient,
    meta: &ProviderMetadata,
    failures: &mut Vec<RunFailure>,
) -> Vec<ListedDocument> {
    let mut out: Vec<ListedDocument> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for d in &meta.distributions {
        let listed = match d {
            Distribution::Directory(dir) => {
                let changes = format!("{dir}/changes.csv");
                match client.get(&changes, MAX_LISTING, None, None).await {
                    Ok(f) => pf::parse_changes_csv(dir, &changes, &f.body)
                        .map_err(|e| failure(&changes, e)),
                    Err(e) if e.status() == Some(404) => {
                        let index = format!("{dir}/index.txt");
                        match client.get(&index, MAX_LISTING, None, None).await {
                            Ok(f) => pf::parse_index_txt(dir, &index, &f.body)
                                .map_err(|e| failure(&index, e)),
                            Err(e) => Err(failure(&index, e)),
                        }
                    }
                    Err(e) => Err(failure(&changes, e)),
                }
            }
            Distribution::Rolie(feed) => match client.get(feed, MAX_LISTING, None, None).await {
                Ok(f) => pf::parse_rolie_feed(feed, &f.body).map_err(|e| failure(feed, e)),
                Err(e) => Err(failure(feed, e)),
            },
        };
        match listed {
            Ok(l) => out.extend(l.into_iter().filter(|d| seen.insert(d.url.clone()))),
            Err(f) => failures.push(f),
        }
    }
    out
}

/// Fetches the document's `.sha512`, else `.sha256`, and compares it with `body`.
async fn verify_hash(
    client: &HttpClient,
    url: &str,
    body: &[u8],
) -> std::result::Result<String, String> {
    for kind in [HashKind::Sha512, HashKind::Sha256] {
        let hash_url = format!("{url}{}", kind.suffix());
        match client.get(&hash_url, MAX_HASH_FILE, None, None).await {
            Ok(f) => {
                let expected =
                    pf::parse_hash_file(&hash_url, kind, &f.body).map_err(|e| e.to_string())?;
                let actual = match kind {
                    HashKind::Sha512 => hex::encode(sha2::Sha512::digest(body)),
                    HashKind::Sha256 => hex::encode(sha2::Sha256::digest(body)),
                };
                let name = if kind == HashKind::Sha512 {
                    "SHA-512"
                } else {
                    "SHA-256"
                };
                return if actual == expected {
                    Ok(actual)
                } else {
                    Err(format!(
                        "{name}-Prüfsumme stimmt nicht: {hash_url} nennt {expected}, das Dokument hat {actual}; nicht eingelesen"
                    ))
                };
            }
            Err(FetchError::Status(_, 404)) => {}
            Err(e) => return Err(format!("Prüfsumme nicht abrufbar: {e}")),
        }
    }
    Err(format!(
        "{url}: weder .sha512 noch .sha256 veröffentlicht; ohne Prüfsumme nicht eingelesen"
    ))
}

fn file_name(url: &str) -> &str {
    url.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(url)
}

/// One walk over a provider; the run is stored and returned.
async fn walk(
    st: &Services,
    by: &AuditActor,
    office: &Scope,
    client: &HttpClient,
    p: &CsafProvider,
    mailer: Option<&Mailer<'_>>,
) -> Result<ProviderRun> {
    let mut run = ProviderRun {
        id: 0,
        provider_id: p.id,
        started_at_ms: st.now_ms(),
        finished_at_ms: 0,
        listed: 0,
        fetched: 0,
        imported: 0,
        unchanged: 0,
        failed: 0,
        error: None,
        failures: Vec::new(),
    };
    let meta = match client.get(&p.metadata_url, MAX_METADATA, None, None).await {
        Ok(f) => pf::parse_metadata(&p.metadata_url, &f.body).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let publisher = meta.as_ref().ok().map(|m| m.publisher.clone());
    match meta {
        Err(e) => run.error = Some(e),
        Ok(meta) => {
            let docs = listings(client, &meta, &mut run.failures).await;
            run.listed = i64::try_from(docs.len()).unwrap_or(i64::MAX);
            let known: HashMap<String, ProviderDocumentState> = st
                .store
                .csaf_provider_documents(office, p.id)
                .await?
                .into_iter()
                .map(|d| (d.url.clone(), d))
                .collect();
            for d in docs {
                document(
                    st,
                    by,
                    office,
                    client,
                    p.id,
                    known.get(&d.url),
                    &d,
                    mailer,
                    &mut run,
                )
                .await?;
            }
        }
    }
    run.failed = i64::try_from(run.failures.len()).unwrap_or(i64::MAX);
    run.finished_at_ms = st.now_ms();
    run.id = st
        .store
        .save_csaf_provider_run(office, &run, publisher.as_deref())
        .await?;
    Ok(run)
}

/// Fetches, verifies and imports one listed document, counting into `run`. Only a database
/// failure is an error; everything about the document is a failure entry.
#[expect(
    clippy::too_many_arguments,
    reason = "the walk's state for one document"
)]
async fn document(
    st: &Services,
    by: &AuditActor,
    office: &Scope,
    client: &HttpClient,
    provider: CsafProviderId,
    prev: Option<&ProviderDocumentState>,
    d: &ListedDocument,
    mailer: Option<&Mailer<'_>>,
    run: &mut ProviderRun,
) -> Result<()> {
    if let Some(prev) = prev
        && prev.listed_changed.is_some()
        && prev.listed_changed == d.changed
    {
        run.unchanged += 1;
        return Ok(());
    }
    let f = match client
        .get(
            &d.url,
            crate::advisories::MAX_UPLOAD,
            prev.and_then(|p| p.etag.as_deref()),
            prev.and_then(|p| p.last_modified.as_deref()),
        )
        .await
    {
        Ok(f) => f,
        Err(e) => {
            run.failures.push(failure(&d.url, e));
            return Ok(());
        }
    };
    if f.not_modified() {
        run.unchanged += 1;
        if let Some(prev) = prev {
            let mut next = prev.clone();
            next.listed_changed.clone_from(&d.changed);
            st.store
                .save_csaf_provider_document(office, provider, &next)
                .await?;
        }
        return Ok(());
    }
    run.fetched += 1;
    let digest = match verify_hash(client, &d.url, &f.body).await {
        Ok(h) => h,
        Err(e) => {
            run.failures.push(failure(&d.url, e));
            return Ok(());
        }
    };
    match crate::advisories::import_in(st, by, office, &f.body, file_name(&d.url), mailer).await {
        Ok(out) => {
            if matches!(out.outcome.as_str(), "created" | "revised") {
                run.imported += 1;
            } else {
                run.unchanged += 1;
            }
            st.store
                .save_csaf_provider_document(
                    office,
                    provider,
                    &ProviderDocumentState {
                        url: d.url.clone(),
                        listed_changed: d.changed.clone(),
                        etag: f.etag,
                        last_modified: f.last_modified,
                        digest: Some(digest),
                        tracking_id: Some(out.tracking_id),
                        version: Some(out.version),
                    },
                )
                .await?;
        }
        Err(Error::BadInput { detail, .. } | Error::TooLarge { detail, .. }) => {
            run.failures.push(failure(&d.url, detail));
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
