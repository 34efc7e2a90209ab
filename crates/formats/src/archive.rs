//! A guard for ZIP-based uploads (XLSX today; DOCX, ODF or plain ZIP files later): refuses
//! archives that would unpack to far more than they weigh before any reader unpacks them.
//!
//! A ZIP entry of a few megabytes can expand to gigabytes (a "decompression bomb": an XLSX
//! whose sheet XML is padded with gigabytes of whitespace kept a server busy for half a
//! minute and took 8 GB of memory). [`check_zip`] walks the archive's central directory and
//! refuses
//!
//! - more entries than [`ZipLimits::max_entries`] (counted from the central directory
//!   signatures in the bytes before the directory is parsed, so a directory of a million
//!   tiny entries is refused without building a million records);
//! - an entry whose declared size exceeds [`ZipLimits::max_entry_bytes`], or declared sizes
//!   adding up to more than [`ZipLimits::max_total_bytes`];
//! - an entry that is compressed more strongly than [`ZipLimits::max_ratio`] : 1 once it is
//!   larger than [`ZipLimits::ratio_floor`] (XML compresses about 10 : 1, whitespace padding
//!   about 1000 : 1).
//!
//! Declared sizes are not trusted alone: every entry is then unpacked through a reader that
//! stops one byte after what the limits allow and throws the bytes away, so a header that
//! lies about its size cannot get past the limits either (the `zip` crate also refuses to
//! read more than an entry declares). That costs one pass over the unpacked data, which the
//! limits keep small.

use std::io::{self, Cursor, Read};

use thiserror::Error;

/// How much a ZIP archive may unpack to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Entries in the archive, directories included.
    pub max_entries: usize,
    /// Unpacked bytes of one entry.
    pub max_entry_bytes: u64,
    /// Unpacked bytes of all entries together.
    pub max_total_bytes: u64,
    /// Unpacked size ÷ packed size of one entry, checked once it unpacks to more than
    /// [`Self::ratio_floor`] bytes.
    pub max_ratio: u64,
    /// Entries up to this unpacked size may be compressed as strongly as they like (small
    /// XML parts of an office document compress well beyond 100 : 1).
    pub ratio_floor: u64,
}

const MIB: u64 = 1024 * 1024;

impl ZipLimits {
    /// Limits for office documents uploaded for import (XLSX): 1,000 entries, 64 MiB per
    /// entry, 128 MiB in all, at most 100 : 1 above 1 MiB. An exported assessment of 1,700
    /// requirements is about 90 KB packed and 1.1 MB unpacked, one of 50,000 rows 2.4 MB
    /// and 33 MB; their parts compress at most 25 : 1.
    pub const OFFICE: ZipLimits = ZipLimits {
        max_entries: 1_000,
        max_entry_bytes: 64 * MIB,
        max_total_bytes: 128 * MIB,
        max_ratio: 100,
        ratio_floor: MIB,
    };
}

/// Why an archive is refused. Messages are German, for the person who uploaded the file,
/// and name the limit.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ArchiveError {
    /// The bytes are not a readable ZIP archive (also: encrypted entries, checksum errors,
    /// an entry that holds more than its header declares).
    #[error("Die Datei ist kein lesbares ZIP-Archiv.")]
    NotZip {
        /// The reader's explanation, for logs.
        reason: String,
    },
    /// More entries than allowed.
    #[error("Die Datei enthält mehr als {} Einträge (Grenze für Uploads).", thousands(*.limit as u64))]
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
    /// One entry unpacks to more than allowed.
    #[error("Der Teil „{name}“ der Datei ist entpackt größer als {} (Grenze für Uploads).", size(*.limit))]
    EntryTooLarge {
        /// The entry's name in the archive (control characters removed, shortened).
        name: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// All entries together unpack to more than allowed.
    #[error("Die Datei ist entpackt größer als {} (Grenze für Uploads).", size(*.limit))]
    TotalTooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// One entry is compressed more strongly than real documents are.
    #[error(
        "Der Teil „{name}“ der Datei ist mehr als {limit}-fach komprimiert (Grenze für \
         Uploads; so stark lassen sich nur künstlich aufgeblähte Dateien packen)."
    )]
    RatioTooHigh {
        /// The entry's name in the archive (control characters removed, shortened).
        name: String,
        /// The limit (unpacked ÷ packed).
        limit: u64,
    },
}

impl ArchiveError {
    /// Whether the archive was refused for its size (HTTP 413) rather than for being
    /// unreadable.
    pub fn is_too_large(&self) -> bool {
        !matches!(self, Self::NotZip { .. })
    }
}

/// What [`check_zip`] found in an archive that passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipSummary {
    /// Entries in the archive.
    pub entries: usize,
    /// Unpacked bytes of all entries, as actually unpacked.
    pub unpacked_bytes: u64,
}

/// Checks `bytes` against `limits` (see the module documentation) without keeping anything
/// unpacked in memory.
///
/// Fails with [`ArchiveError::TooManyEntries`], [`ArchiveError::EntryTooLarge`],
/// [`ArchiveError::TotalTooLarge`] or [`ArchiveError::RatioTooHigh`] for an archive over
/// the limits, and with [`ArchiveError::NotZip`] for anything the `zip` crate cannot read
/// completely.
pub fn check_zip(bytes: &[u8], limits: &ZipLimits) -> Result<ZipSummary, ArchiveError> {
    let not_zip = |e: &dyn std::fmt::Display| ArchiveError::NotZip {
        reason: e.to_string(),
    };
    // Every central directory record starts with this signature, so the count is an upper
    // bound of the entries the ZIP reader would parse (packed data may contain it by chance,
    // about once in 4 GB).
    const CENTRAL_HEADER: &[u8; 4] = b"PK\x01\x02";
    let records = bytes.windows(4).filter(|w| w == CENTRAL_HEADER).count();
    if records > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            limit: limits.max_entries,
        });
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_zip(&e))?;
    if archive.len() > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            limit: limits.max_entries,
        });
    }
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| not_zip(&e))?;
        let name = display_name(&String::from_utf8_lossy(entry.name_raw()));
        let packed = entry.compressed_size();
        let remaining = limits.max_total_bytes.saturating_sub(total);
        let too_large = |n: u64| {
            if n > limits.max_entry_bytes {
                Some(ArchiveError::EntryTooLarge {
                    name: name.clone(),
                    limit: limits.max_entry_bytes,
                })
            } else if n > remaining {
                Some(ArchiveError::TotalTooLarge {
                    limit: limits.max_total_bytes,
                })
            } else if n > limits.ratio_floor && n > packed.saturating_mul(limits.max_ratio) {
                Some(ArchiveError::RatioTooHigh {
                    name: name.clone(),
                    limit: limits.max_ratio,
                })
            } else {
                None
            }
        };
        if let Some(e) = too_large(entry.size()) {
            return Err(e);
        }
        // The most this entry may unpack to under every limit at once.
        let by_ratio = limits
            .ratio_floor
            .max(packed.saturating_mul(limits.max_ratio));
        let allowed = limits.max_entry_bytes.min(remaining).min(by_ratio);
        let unpacked =
            io::copy(&mut entry.take(allowed + 1), &mut io::sink()).map_err(|e| not_zip(&e))?;
        if unpacked > allowed {
            return Err(too_large(unpacked).unwrap_or(ArchiveError::RatioTooHigh {
                name,
                limit: limits.max_ratio,
            }));
        }
        total += unpacked;
    }
    Ok(ZipSummary {
        entries: archive.len(),
        unpacked_bytes: total,
    })
}

/// An entry name fit for a message: control characters removed, at most 80 characters.
fn display_name(name: &str) -> String {
    let clean: String = name.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() > 80 {
        let short: String = clean.chars().take(79).collect();
        format!("{short}…")
    } else {
        clean
    }
}

/// `n` with German thousands separators, e.g. `1.000`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

/// A byte count for a message: whole MiB as `64 MB`, smaller counts in KB or bytes.
fn size(bytes: u64) -> String {
    if bytes >= MIB {
        format!("{} MB", thousands(bytes / MIB))
    } else if bytes >= 1024 {
        format!("{} KB", thousands(bytes / 1024))
    } else {
        format!("{bytes} Bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_are_german() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1.000");
        assert_eq!(thousands(50_000), "50.000");
        assert_eq!(thousands(1_048_576), "1.048.576");
        assert_eq!(size(64 * MIB), "64 MB");
        assert_eq!(size(2048), "2 KB");
        assert_eq!(size(10), "10 Bytes");
    }

    #[test]
    fn entry_names_lose_control_characters_and_length() {
        assert_eq!(display_name("xl/\u{0}sheet\n1.xml"), "xl/sheet1.xml");
        let long = display_name(&"a".repeat(200));
        assert_eq!(long.chars().count(), 80);
        assert!(long.ends_with('…'));
    }
}
