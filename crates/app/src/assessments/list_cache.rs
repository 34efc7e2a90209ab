//! Serialised answer lists, cached per assessment revision.
//!
//! The full list of a large catalog (NIST SP 800-53: 1,189 rows, 1.4 MB of JSON) is read far
//! more often than it changes, and building it costs milliseconds of CPU. A cached copy is
//! valid while the assessment's revision in the database is unchanged: every write that
//! changes what the list shows bumps it in the same transaction, so the check is one indexed
//! read and stays correct when several instances share a database.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use bytes::Bytes;
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

#[derive(Default)]
struct Inner {
    entries: HashMap<Key, Bytes>,
    order: VecDeque<Key>,
    bytes: usize,
}

impl std::fmt::Debug for ListCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ListCache")
    }
}

impl ListCache {
    fn get(&self, key: &Key) -> Option<Bytes> {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.entries.get(key).cloned()
    }

    fn put(&self, key: Key, value: Bytes) {
        if value.len() > MAX_BYTES / 4 {
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
                inner.bytes -= v.len();
            }
        }
        inner.bytes += value.len();
        if let Some(old) = inner.entries.insert(key.clone(), value) {
            inner.bytes -= old.len();
        } else {
            inner.order.push_back(key);
        }
        while inner.bytes > MAX_BYTES {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(v) = inner.entries.remove(&oldest) {
                inner.bytes -= v.len();
            }
        }
        // Keys removed as stale above may still sit in `order`; drop them once it grows.
        if inner.order.len() > 4 * inner.entries.len() + 64 {
            let Inner { entries, order, .. } = &mut *inner;
            order.retain(|k| entries.contains_key(k));
        }
    }
}

/// The answer rows of an assessment as the JSON the API sends (`Page` of rows), from the
/// cache when the assessment has not changed since.
pub async fn answers_json(
    st: &Services,
    actor: &Actor,
    id: i64,
    q: &AnswersQuery,
) -> Result<Bytes> {
    // The scope check comes with the revision read: another member's assessment is 404.
    let revision = st
        .store
        .assessment_revision(&actor.scope(Permission::ReadAssessments), id)
        .await?;
    let key = Key {
        assessment: id,
        revision,
        query: q.cache_key(),
    };
    if let Some(hit) = st.lists.get(&key) {
        return Ok(hit);
    }
    let page = super::answers(st, actor, id, q).await?;
    let json = Bytes::from(serde_json::to_vec(&page).map_err(|e| Error::Internal(e.to_string()))?);
    st.lists.put(key, json.clone());
    Ok(json)
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

    #[test]
    fn a_newer_revision_replaces_the_older_and_the_size_stays_bounded() {
        let c = ListCache::default();
        c.put(key(1, 1), Bytes::from_static(b"old"));
        c.put(key(2, 1), Bytes::from_static(b"other"));
        c.put(key(1, 2), Bytes::from_static(b"new"));
        assert_eq!(c.get(&key(1, 1)), None, "stale revision dropped");
        assert_eq!(c.get(&key(1, 2)).as_deref(), Some(&b"new"[..]));
        assert_eq!(c.get(&key(2, 1)).as_deref(), Some(&b"other"[..]));
        let big = Bytes::from(vec![0u8; MAX_BYTES / 5]);
        for i in 0..10 {
            c.put(key(100 + i, 0), big.clone());
        }
        let inner = c.inner.lock().unwrap();
        assert!(inner.bytes <= MAX_BYTES, "{}", inner.bytes);
        assert_eq!(
            inner.bytes,
            inner.entries.values().map(Bytes::len).sum::<usize>()
        );
    }
}
