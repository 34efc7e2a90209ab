//! The audit log's hash chain.
//!
//! Each entry stores the hash of its predecessor and a hash over its own content, so editing or
//! deleting any entry breaks the chain from that point on. The head (last sequence number and
//! hash) is kept separately, so truncating the newest entries is detected as well.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Hash of the (non-existent) entry before the first one.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hashed content of one audit entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Position in the chain, starting at 1, without gaps.
    pub seq: i64,
    /// Unix time in milliseconds.
    pub at_ms: i64,
    /// Acting user, if any (none for system jobs and the demo seed).
    pub actor_user_id: Option<i64>,
    /// Human-readable actor (e-mail or `system`), kept even if the user is deleted later.
    pub actor_label: String,
    /// Organisation whose data changed; none for federation-wide objects.
    pub org_id: Option<i64>,
    /// What happened, e.g. `org.update`.
    pub action: String,
    /// Kind of object, e.g. `organisation`.
    pub object_type: String,
    /// ID of the object.
    pub object_id: String,
    /// JSON of the object before the change (`null` for creations).
    pub before: String,
    /// JSON of the object after the change (`null` for deletions).
    pub after: String,
}

impl AuditRecord {
    /// The entry's hash: SHA-256 over the predecessor's hash and every field, each
    /// length-prefixed so no two different records can produce the same input.
    pub fn hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_be_bytes());
            h.update(s.as_bytes());
        };
        field(prev_hash);
        field(&self.seq.to_string());
        field(&self.at_ms.to_string());
        field(
            &self
                .actor_user_id
                .map(|v| v.to_string())
                .unwrap_or_default(),
        );
        field(&self.actor_label);
        field(&self.org_id.map(|v| v.to_string()).unwrap_or_default());
        field(&self.action);
        field(&self.object_type);
        field(&self.object_id);
        field(&self.before);
        field(&self.after);
        hex::encode(h.finalize())
    }
}

/// A stored entry: the record plus its chain links.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainedRecord {
    /// Content.
    pub record: AuditRecord,
    /// Hash of the predecessor.
    pub prev_hash: String,
    /// Hash of this entry.
    pub hash: String,
}

/// What is wrong with a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// An entry's content no longer matches its hash (it was edited).
    #[error("entry {seq}: content does not match its hash (edited)")]
    Tampered {
        /// Sequence number.
        seq: i64,
    },
    /// Sequence numbers jump (entries were deleted).
    #[error("entry {found} follows {expected_prev}: entries are missing (deleted)")]
    Gap {
        /// The last good sequence number.
        expected_prev: i64,
        /// The sequence number found next.
        found: i64,
    },
    /// An entry does not link to its predecessor.
    #[error("entry {seq}: does not link to its predecessor")]
    BrokenLink {
        /// Sequence number.
        seq: i64,
    },
    /// The newest entries are missing or the head was changed.
    #[error(
        "chain ends at {last_seq} but the head says {head_seq}: entries at the end are missing"
    )]
    HeadMismatch {
        /// Last entry found.
        last_seq: i64,
        /// Head's sequence number.
        head_seq: i64,
    },
    /// The entry a checkpoint names is gone: the log was cut back behind the checkpoint.
    #[error(
        "checkpoint at entry {seq}: the entry is missing (the log was cut back behind a checkpoint)"
    )]
    CheckpointMissing {
        /// The checkpoint's sequence number.
        seq: i64,
    },
    /// The entry a checkpoint names has another hash: the chain was rewritten.
    #[error("checkpoint at entry {seq}: the stored hash differs (the chain was rewritten)")]
    CheckpointMismatch {
        /// The checkpoint's sequence number.
        seq: i64,
    },
}

/// A checkpoint: the chain's head (sequence number and hash) written outside the database, so
/// that deleting the newest entries and rewinding the head row is noticed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    /// Sequence number of the head entry.
    pub seq: i64,
    /// Its hash.
    pub hash: String,
    /// When the checkpoint was taken (Unix milliseconds).
    pub at_ms: i64,
}

const CHECKPOINT_TAG: &str = "verbund-audit-checkpoint";

impl Checkpoint {
    /// One line: `verbund-audit-checkpoint seq=42 hash=<hex> at_ms=1764600000000`.
    pub fn to_line(&self) -> String {
        format!(
            "{CHECKPOINT_TAG} seq={} hash={} at_ms={}",
            self.seq, self.hash, self.at_ms
        )
    }

    /// Parses a line written by [`Checkpoint::to_line`]; `None` for anything else (comments,
    /// blank lines, mail headers around a pasted line).
    pub fn parse_line(line: &str) -> Option<Self> {
        let rest = line.trim().strip_prefix(CHECKPOINT_TAG)?;
        let (mut seq, mut hash, mut at_ms) = (None, None, None);
        for part in rest.split_whitespace() {
            match part.split_once('=')? {
                ("seq", v) => seq = v.parse().ok(),
                ("hash", v) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    hash = Some(v.to_ascii_lowercase())
                }
                ("at_ms", v) => at_ms = v.parse().ok(),
                _ => return None,
            }
        }
        Some(Self {
            seq: seq?,
            hash: hash?,
            at_ms: at_ms?,
        })
    }

    /// Compares the checkpoint with the stored chain: `hash_at_seq` is the stored hash of the
    /// entry with the checkpoint's sequence number (`None` if there is none).
    pub fn check(&self, hash_at_seq: Option<&str>) -> Result<(), ChainError> {
        match hash_at_seq {
            None => Err(ChainError::CheckpointMissing { seq: self.seq }),
            Some(h) if h != self.hash => Err(ChainError::CheckpointMismatch { seq: self.seq }),
            Some(_) => Ok(()),
        }
    }
}

/// The result of checking a whole chain: how many entries were read and every problem found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainReport {
    /// Entries read.
    pub entries: i64,
    /// Every problem, in chain order (empty: intact).
    pub problems: Vec<ChainError>,
}

impl ChainReport {
    /// The first problem, or the number of entries when there is none.
    pub fn first(&self) -> Result<i64, ChainError> {
        match self.problems.first() {
            Some(e) => Err(e.clone()),
            None => Ok(self.entries),
        }
    }
}

/// Incremental verifier: feed entries in sequence order, then call [`ChainVerifier::finish`].
/// Works in constant memory so a long log can be streamed.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    /// Checks the next entry.
    pub fn push(&mut self, e: &ChainedRecord) -> Result<(), ChainError> {
        let seq = e.record.seq;
        if seq != self.last_seq + 1 {
            return Err(ChainError::Gap {
                expected_prev: self.last_seq,
                found: seq,
            });
        }
        if e.prev_hash != self.last_hash {
            return Err(ChainError::BrokenLink { seq });
        }
        if e.record.hash(&e.prev_hash) != e.hash {
            return Err(ChainError::Tampered { seq });
        }
        self.last_seq = seq;
        self.last_hash = e.hash.clone();
        Ok(())
    }

    /// Checks the next entry and goes on whatever it finds, so that every problem of a chain
    /// is reported: after a gap the chain continues at the entry found, after a broken link or
    /// an edited entry at that entry's stored hash.
    pub fn push_all(&mut self, e: &ChainedRecord, problems: &mut Vec<ChainError>) {
        let seq = e.record.seq;
        if seq != self.last_seq + 1 {
            problems.push(ChainError::Gap {
                expected_prev: self.last_seq,
                found: seq,
            });
        } else if e.prev_hash != self.last_hash {
            problems.push(ChainError::BrokenLink { seq });
        }
        if e.record.hash(&e.prev_hash) != e.hash {
            problems.push(ChainError::Tampered { seq });
        }
        self.last_seq = seq;
        self.last_hash = e.hash.clone();
    }

    /// Like [`ChainVerifier::finish`], adding a head mismatch to `problems`.
    pub fn finish_all(
        self,
        head_seq: i64,
        head_hash: &str,
        mut problems: Vec<ChainError>,
    ) -> ChainReport {
        let entries = self.last_seq;
        if let Err(e) = self.finish(head_seq, head_hash) {
            problems.push(e);
        }
        ChainReport { entries, problems }
    }

    /// Compares the end of the chain with the stored head; returns the number of entries checked.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainError> {
        if self.last_seq != head_seq || self.last_hash != head_hash {
            return Err(ChainError::HeadMismatch {
                last_seq: self.last_seq,
                head_seq,
            });
        }
        Ok(self.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<ChainedRecord> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let record = AuditRecord {
                    seq,
                    at_ms: 1_700_000_000_000 + seq,
                    actor_user_id: Some(7),
                    actor_label: "isb@example.org".into(),
                    org_id: Some(2),
                    action: "org.update".into(),
                    object_type: "organisation".into(),
                    object_id: "2".into(),
                    before: format!("{{\"population\":{}}}", seq),
                    after: format!("{{\"population\":{}}}", seq + 1),
                };
                let hash = record.hash(&prev);
                let e = ChainedRecord {
                    record,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(
        entries: &[ChainedRecord],
        head_seq: i64,
        head_hash: &str,
    ) -> Result<i64, ChainError> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.push(e)?;
        }
        v.finish(head_seq, head_hash)
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS_HASH), Ok(0));
    }

    #[test]
    fn edited_entry_is_detected() {
        let mut c = chain(5);
        c[2].record.after = "{\"population\":999}".into();
        let head = c[4].hash.clone();
        assert_eq!(verify(&c, 5, &head), Err(ChainError::Tampered { seq: 3 }));
    }

    #[test]
    fn edited_entry_with_recomputed_hash_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].record.actor_label = "someone-else".into();
        c[2].hash = c[2].record.hash(&c[2].prev_hash);
        let head = c[4].hash.clone();
        assert_eq!(verify(&c, 5, &head), Err(ChainError::BrokenLink { seq: 4 }));
    }

    #[test]
    fn deleted_entry_is_detected() {
        let mut c = chain(5);
        c.remove(1);
        let head = c[3].hash.clone();
        assert_eq!(
            verify(&c, 5, &head),
            Err(ChainError::Gap {
                expected_prev: 1,
                found: 3
            })
        );
    }

    #[test]
    fn truncated_end_is_detected_by_the_head() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(
            verify(&c[..4], 5, &head),
            Err(ChainError::HeadMismatch {
                last_seq: 4,
                head_seq: 5
            })
        );
    }

    fn report(entries: &[ChainedRecord], head_seq: i64, head_hash: &str) -> ChainReport {
        let mut v = ChainVerifier::default();
        let mut problems = vec![];
        for e in entries {
            v.push_all(e, &mut problems);
        }
        v.finish_all(head_seq, head_hash, problems)
    }

    #[test]
    fn every_broken_entry_is_reported_not_only_the_first() {
        let mut c = chain(9);
        c[1].record.after = "{}".into(); // 2 edited
        c.remove(4); // 5 deleted
        c[6].record.actor_label = "x".into(); // 8 edited, hash recomputed → 9's link breaks
        c[6].hash = c[6].record.hash(&c[6].prev_hash);
        let head = c[7].hash.clone();
        let r = report(&c, 9, &head);
        assert_eq!(
            r.problems,
            [
                ChainError::Tampered { seq: 2 },
                ChainError::Gap {
                    expected_prev: 4,
                    found: 6
                },
                ChainError::BrokenLink { seq: 9 },
            ]
        );
        assert_eq!(r.first(), Err(ChainError::Tampered { seq: 2 }));
        let intact = chain(3);
        assert_eq!(report(&intact, 3, &intact[2].hash).first(), Ok(3));
    }

    #[test]
    fn a_checkpoint_catches_a_log_cut_back_with_its_head_rewound() {
        let c = chain(6);
        let cp = Checkpoint {
            seq: 6,
            hash: c[5].hash.clone(),
            at_ms: 1_764_600_000_000,
        };
        let line = cp.to_line();
        assert_eq!(
            Checkpoint::parse_line(&format!("  {line}\n")),
            Some(cp.clone())
        );
        assert_eq!(
            Checkpoint::parse_line("# verbund-audit-checkpoint seq=1"),
            None
        );
        assert_eq!(
            Checkpoint::parse_line("verbund-audit-checkpoint seq=1 hash=zz at_ms=1"),
            None
        );
        // Entries 5 and 6 deleted and the head set back to 4: the chain itself is intact …
        assert_eq!(report(&c[..4], 4, &c[3].hash).first(), Ok(4));
        // … but the checkpoint names entry 6, which is gone.
        assert_eq!(
            cp.check(None),
            Err(ChainError::CheckpointMissing { seq: 6 })
        );
        assert_eq!(
            cp.check(Some(&c[4].hash)),
            Err(ChainError::CheckpointMismatch { seq: 6 })
        );
        assert_eq!(cp.check(Some(&c[5].hash)), Ok(()));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = chain(1).remove(0).record;
        let mut b = a.clone();
        a.object_type = "ab".into();
        a.object_id = "c".into();
        b.object_type = "a".into();
        b.object_id = "bc".into();
        assert_ne!(a.hash(GENESIS_HASH), b.hash(GENESIS_HASH));
    }
}
