//! Serialised answer lists, cached per assessment revision.
//!
//! The full list of a large catalog (NIST SP 800-53: 1,189 rows, 1.4 MB of JSON) is read far
//! more often than it changes, and building it costs milliseconds of CPU. A cached copy is
//! valid while the assessment's revision in the database is unchanged: every write that
//! changes what the list shows bumps it in the same transaction, so the check is one indexed
//! read and stays correct when several instances share a database. A gzip copy is made
//! once, on the first request that accepts it, instead of compressing 1.4 MB per request.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use bytes::Bytes;
use verbund_domain::AssessmentId;
use verbund_domain::authz::{Actor, Permission};

use super::AnswersQuery;
use crate::Services;
use crate::error::{Error, Result};

/// At most this many bytes of serialised lists are kept (oldest dropped first).
const MAX_BYTES: usize = 64 * 1024 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    assessment: i64,
    revision: i64,
    query: String,
}

/// Serialised answer lists by assessment, revision and query.
#[derive(Default)]
pub struct ListCache {
    inner: Mutex<Inner>,
}

/// One list: the JSON, and its gzip form once asked for.
struct Entry {
    plain: Bytes,
    gzip: OnceLock<Bytes>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, Arc<Entry>>,
    order: VecDeque<Key>,
    bytes: usize,
}

impl std::fmt::Debug for ListCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ListCache")
    }
}

impl ListCache {
    fn get(&self, key: &Key) -> Option<Arc<Entry>> {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.entries.get(key).cloned()
    }

    fn put(&self, key: Key, value: Arc<Entry>) {
        // Counted at twice the JSON: room for the gzip copy, which is much smaller.
        if value.plain.len() > MAX_BYTES / 8 {
            return;
        }
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Older revisions of the same assessment will never be asked for again.
        let stale: Vec<Key> = inner
            .entries
            .keys()
            .filter(|k| k.assessment == key.assessment && k.revision < key.revision)
            .cloned()
            .collect();
        for k in stale {
            if let Some(v) = inner.entries.remove(&k) {
                inner.bytes -= cost(&v);
            }
        }
        inner.bytes += cost(&value);
        if let Some(old) = inner.entries.insert(key.clone(), value) {
            inner.bytes -= cost(&old);
        } else {
            inner.order.push_back(key);
        }
        while inner.bytes > MAX_BYTES {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(v) = inner.entries.remove(&oldest) {
                inner.bytes -= cost(&v);
            }
        }
        // Keys removed as stale above may still sit in `order`; drop them once it grows.
        if inner.order.len() > 4 * inner.entries.len() + 64 {
            let Inner { entries, order, .. } = &mut *inner;
            order.retain(|k| entries.contains_key(k));
        }
    }
}

fn cost(e: &Entry) -> usize {
    2 * e.plain.len()
}

/// A serialised answer list.
#[derive(Debug, Clone)]
pub struct ListJson {
    /// The body.
    pub bytes: Bytes,
    /// Whether `bytes` is gzip-compressed JSON (only when asked for).
    pub gzip: bool,
}

fn gzip(plain: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(plain).ok()?;
    enc.finish().ok().map(Bytes::from)
}

/// The answer rows of an assessment as the JSON the API sends (`Page` of rows), from the
/// cache when the assessment has not changed since; gzip-compressed when `accept_gzip`.
pub async fn answers_json(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    q: &AnswersQuery,
    accept_gzip: bool,
) -> Result<ListJson> {
    // The scope check comes with the revision read: another member's assessment is 404.
    let revision = st
        .store
        .assessment_revision(&actor.scope(Permission::ReadAssessments), id)
        .await?;
    let key = Key {
        assessment: id.0,
        revision,
        query: q.cache_key(),
    };
    let entry = match st.lists.get(&key) {
        Some(hit) => hit,
        None => {
            let page = super::answers(st, actor, id, q).await?;
            let json = serde_json::to_vec(&page).map_err(|e| Error::Internal(e.to_string()))?;
            let entry = Arc::new(Entry {
                plain: Bytes::from(json),
                gzip: OnceLock::new(),
            });
            st.lists.put(key, entry.clone());
            entry
        }
    };
    // Small lists are not worth compressing; a failed compression sends the plain JSON.
    if accept_gzip && entry.plain.len() >= 8 * 1024 {
        let packed = match entry.gzip.get() {
            Some(g) => Some(g.clone()),
            None => {
                let e = entry.clone();
                tokio::task::spawn_blocking(move || {
                    gzip(&e.plain).map(|g| e.gzip.get_or_init(|| g).clone())
                })
                .await
                .map_err(|e| Error::Internal(e.to_string()))?
            }
        };
        if let Some(bytes) = packed {
            return Ok(ListJson { bytes, gzip: true });
        }
    }
    Ok(ListJson {
        bytes: entry.plain.clone(),
        gzip: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(assessment: i64, revision: i64) -> Key {
        Key {
            assessment,
            revision,
            query: String::new(),
        }
    }

    fn entry(b: &'static [u8]) -> Arc<Entry> {
        Arc::new(Entry {
            plain: Bytes::from_static(b),
            gzip: OnceLock::new(),
        })
    }

    fn plain(c: &ListCache, k: Key) -> Option<Bytes> {
        c.get(&k).map(|e| e.plain.clone())
    }

    #[test]
    fn a_newer_revision_replaces_the_older_and_the_size_stays_bounded() {
        let c = ListCache::default();
        c.put(key(1, 1), entry(b"old"));
        c.put(key(2, 1), entry(b"other"));
        c.put(key(1, 2), entry(b"new"));
        assert_eq!(plain(&c, key(1, 1)), None, "stale revision dropped");
        assert_eq!(plain(&c, key(1, 2)).as_deref(), Some(&b"new"[..]));
        assert_eq!(plain(&c, key(2, 1)).as_deref(), Some(&b"other"[..]));
        let big = Arc::new(Entry {
            plain: Bytes::from(vec![0u8; MAX_BYTES / 9]),
            gzip: OnceLock::new(),
        });
        for i in 0..20 {
            c.put(key(100 + i, 0), big.clone());
        }
        let inner = c.inner.lock().unwrap();
        assert!(inner.bytes <= MAX_BYTES, "{}", inner.bytes);
        let counted: usize = inner.entries.values().map(|e| cost(e)).sum();
        assert_eq!(inner.bytes, counted);
    }

    #[test]
    fn the_gzip_copy_unpacks_to_the_json() {
        use std::io::Read;
        let json = br#"{"items":[{"id":1,"status":"yes"}]}"#.repeat(500);
        let packed = gzip(&json).unwrap();
        assert!(packed.len() < json.len() / 10);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, json);
    }
}
