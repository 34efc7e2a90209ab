//! Topic tallies of assessments, cached per assessment revision.
//!
//! The summary of an assessment is the most frequent read (every page view and every poll of
//! a client), and its topic rows cost a query plus one JSON decode per topic. They change only
//! with the assessment's revision, which the summary reads anyway with the (scoped) assessment
//! row; so a cached copy for that revision is exact, also when several instances share a
//! database. Only the topic rows are cached: names of members and catalogs come fresh from the
//! assessment row.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use verbund_store::TopicScore;

/// At most this many assessments are kept; when full, the cache starts over (cheap, and a
/// summary costs one query more after that).
const MAX_ENTRIES: usize = 4096;

/// The revision topic rows were read at, and the rows.
type Entry = (i64, Arc<Vec<TopicScore>>);

/// Topic rows by assessment ID, with the revision they were read at.
#[derive(Default)]
pub struct TopicCache {
    inner: Mutex<HashMap<i64, Entry>>,
}

impl std::fmt::Debug for TopicCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TopicCache")
    }
}

impl TopicCache {
    /// The rows of `assessment` at `revision`, if cached.
    pub fn get(&self, assessment: i64, revision: i64) -> Option<Arc<Vec<TopicScore>>> {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner
            .get(&assessment)
            .filter(|(r, _)| *r == revision)
            .map(|(_, t)| Arc::clone(t))
    }

    /// Keeps the rows of `assessment` read at `revision` (a newer revision replaces older ones;
    /// an older one never replaces a newer one, whichever request finishes last).
    pub fn put(&self, assessment: i64, revision: i64, topics: Arc<Vec<TopicScore>>) {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if inner.get(&assessment).is_some_and(|(r, _)| *r > revision) {
            return;
        }
        if inner.len() >= MAX_ENTRIES && !inner.contains_key(&assessment) {
            inner.clear();
        }
        inner.insert(assessment, (revision, topics));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topics(name: &str) -> Arc<Vec<TopicScore>> {
        Arc::new(vec![TopicScore {
            topic_index: 0,
            ref_id: None,
            name: name.to_owned(),
            tally: verbund_domain::assessment::Tally::default(),
        }])
    }

    #[test]
    fn a_revision_change_misses_and_an_older_revision_never_wins() {
        let c = TopicCache::default();
        c.put(1, 5, topics("a"));
        assert_eq!(c.get(1, 5).unwrap()[0].name, "a");
        assert!(c.get(1, 6).is_none(), "a newer revision must be read again");
        c.put(1, 6, topics("b"));
        c.put(1, 5, topics("stale"));
        assert_eq!(c.get(1, 6).unwrap()[0].name, "b");
        assert!(c.get(1, 5).is_none());
        assert!(c.get(2, 6).is_none(), "another assessment");
    }

    #[test]
    fn a_full_cache_starts_over_instead_of_growing() {
        let c = TopicCache::default();
        for i in 0..i64::try_from(MAX_ENTRIES).unwrap() {
            c.put(i, 1, topics("x"));
        }
        c.put(-1, 1, topics("y"));
        assert!(c.get(0, 1).is_none());
        assert!(c.get(-1, 1).is_some());
    }
}
