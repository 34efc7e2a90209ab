//! The files of a CSAF provider (CSAF 2.0, section 7): `provider-metadata.json`, the
//! directory listings `changes.csv` and `index.txt`, ROLIE feeds and the `.sha256`/`.sha512`
//! hash files. Pure parsing: the walk itself (HTTP, state, import) lives in the application.
//!
//! Every function names what it could not read; none panics on any input. URLs found in
//! the files are resolved against the file's own URL and must be `http://` or `https://`.

use serde_json::Value;

/// Most document entries one listing may name; a longer listing is refused as a whole (so
/// nothing is skipped silently).
pub const MAX_ENTRIES: usize = 20_000;

/// Why a provider file could not be read (German, shown to the office as it is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ProviderFileError {
    /// The file (its URL).
    pub file: String,
    /// What is wrong.
    pub message: String,
}

fn err(file: &str, message: impl Into<String>) -> ProviderFileError {
    ProviderFileError {
        file: file.to_owned(),
        message: message.into(),
    }
}

/// Where a provider publishes its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    /// A directory with `changes.csv` (and `index.txt`); the URL ends without a slash.
    Directory(String),
    /// A ROLIE feed (JSON).
    Rolie(String),
}

/// What Verbund reads from `provider-metadata.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderMetadata {
    /// `publisher.name`.
    pub publisher: String,
    /// `role` (e.g. `csaf_trusted_provider`).
    pub role: String,
    /// The distributions in the file's order (directories first within one entry).
    pub distributions: Vec<Distribution>,
    /// Whether the provider lists OpenPGP keys (signatures are not verified yet).
    pub has_openpgp_keys: bool,
}

/// One document a listing names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedDocument {
    /// Absolute URL of the JSON document.
    pub url: String,
    /// The listing's timestamp for it (`changes.csv` or the ROLIE entry's `updated`), if any.
    pub changed: Option<String>,
}

/// Resolves `href` against `base` (absolute `http(s)://` URLs stay; `/path` is taken from
/// the host of `base`; anything else relative to `base`'s directory). `None` for another
/// scheme or a path that climbs out with `..`.
pub fn resolve(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.chars().any(char::is_control) {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Some(href.to_owned());
    }
    if href.contains("://") || lower.starts_with("javascript:") || lower.starts_with("data:") {
        return None;
    }
    if href.split('/').any(|s| s == "..") {
        return None;
    }
    let (scheme, rest) = base.split_once("://")?;
    let host_end = rest.find('/').unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if let Some(abs) = href.strip_prefix('/') {
        return Some(format!("{origin}/{abs}"));
    }
    let path = &rest[host_end..];
    let dir = path.rfind('/').map_or("", |i| &path[..i]);
    let href = href.strip_prefix("./").unwrap_or(href);
    Some(format!("{origin}{dir}/{href}"))
}

fn json(file: &str, bytes: &[u8]) -> Result<Value, ProviderFileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| err(file, "kein gültiges UTF-8"))?;
    serde_json::from_str(text).map_err(|e| {
        err(
            file,
            format!(
                "kein gültiges JSON (Zeile {}, Spalte {}): {e}",
                e.line(),
                e.column()
            ),
        )
    })
}

/// Reads `provider-metadata.json` (fetched from `url`).
///
/// Fails without `publisher.name` or without any usable distribution (`distributions[]`
/// with `directory_url` or `rolie.feeds[].url`; CSAF 2.0 also allows `rolie` at the top level).
pub fn parse_metadata(url: &str, bytes: &[u8]) -> Result<ProviderMetadata, ProviderFileError> {
    let v = json(url, bytes)?;
    let publisher = v
        .pointer("/publisher/name")
        .and_then(Value::as_str)
        .ok_or_else(|| err(url, "Feld /publisher/name fehlt"))?
        .chars()
        .take(200)
        .collect();
    let role = v
        .get("role")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .chars()
        .take(60)
        .collect();
    let mut distributions = Vec::new();
    let mut rolie = |feeds: Option<&Value>, at: &str| -> Result<(), ProviderFileError> {
        for (i, f) in feeds
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let u = f
                .get("url")
                .and_then(Value::as_str)
                .ok_or_else(|| err(url, format!("Feld {at}/feeds/{i}/url fehlt")))?;
            let u = resolve(url, u)
                .ok_or_else(|| err(url, format!("{at}/feeds/{i}/url ist keine http(s)-Adresse")))?;
            distributions.push(Distribution::Rolie(u));
        }
        Ok(())
    };
    for (i, d) in v
        .get("distributions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(r) = d.get("rolie") {
            rolie(r.get("feeds"), &format!("/distributions/{i}/rolie"))?;
        }
    }
    if let Some(r) = v.get("rolie") {
        rolie(r.get("feeds"), "/rolie")?;
    }
    let mut dirs = Vec::new();
    for (i, d) in v
        .get("distributions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(u) = d.get("directory_url") {
            let u = u.as_str().and_then(|u| resolve(url, u)).ok_or_else(|| {
                err(
                    url,
                    format!("/distributions/{i}/directory_url ist keine http(s)-Adresse"),
                )
            })?;
            dirs.push(Distribution::Directory(u.trim_end_matches('/').to_owned()));
        }
    }
    dirs.append(&mut distributions);
    if dirs.is_empty() {
        return Err(err(
            url,
            "keine Verteilung (distributions mit directory_url oder rolie.feeds)",
        ));
    }
    Ok(ProviderMetadata {
        publisher,
        role,
        distributions: dirs,
        has_openpgp_keys: v
            .get("public_openpgp_keys")
            .and_then(Value::as_array)
            .is_some_and(|k| !k.is_empty()),
    })
}

fn check_len(file: &str, n: usize) -> Result<(), ProviderFileError> {
    if n > MAX_ENTRIES {
        return Err(err(
            file,
            format!("mehr als {MAX_ENTRIES} Einträge: nicht gelesen"),
        ));
    }
    Ok(())
}

fn document_url(
    dir: &str,
    file: &str,
    path: &str,
    line: usize,
) -> Result<String, ProviderFileError> {
    let path = path.trim();
    if !path.to_ascii_lowercase().ends_with(".json") {
        return Err(err(
            file,
            format!("Zeile {line}: {path:?} ist kein JSON-Dokument"),
        ));
    }
    resolve(&format!("{dir}/"), path)
        .ok_or_else(|| err(file, format!("Zeile {line}: ungültiger Pfad {path:?}")))
}

/// Reads a directory's `changes.csv` (`"path","timestamp"` per line, newest first) into
/// document URLs below `dir` with their timestamps. A path named twice keeps its first
/// (newest) line.
pub fn parse_changes_csv(
    dir: &str,
    file: &str,
    bytes: &[u8],
) -> Result<Vec<ListedDocument>, ProviderFileError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out: Vec<ListedDocument> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 1;
        let rec = rec.map_err(|e| err(file, format!("Zeile {line}: {e}")))?;
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let (Some(path), Some(ts)) = (rec.get(0), rec.get(1)) else {
            return Err(err(
                file,
                format!("Zeile {line}: erwartet \"Pfad\",\"Zeitstempel\""),
            ));
        };
        let url = document_url(dir, file, path, line)?;
        if seen.insert(url.clone()) {
            out.push(ListedDocument {
                url,
                changed: Some(ts.trim().chars().take(64).collect()),
            });
            check_len(file, out.len())?;
        }
    }
    Ok(out)
}

/// Reads a directory's `index.txt` (one path per line) into document URLs below `dir`.
pub fn parse_index_txt(
    dir: &str,
    file: &str,
    bytes: &[u8],
) -> Result<Vec<ListedDocument>, ProviderFileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| err(file, "kein gültiges UTF-8"))?;
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        out.push(ListedDocument {
            url: document_url(dir, file, l, i + 1)?,
            changed: None,
        });
        check_len(file, out.len())?;
    }
    Ok(out)
}

/// Reads a ROLIE feed (`feed.entry[]`: the document from `content.src` or the `self` link,
/// the timestamp from `updated`).
pub fn parse_rolie_feed(
    file: &str,
    bytes: &[u8],
) -> Result<Vec<ListedDocument>, ProviderFileError> {
    let v = json(file, bytes)?;
    let entries = v
        .pointer("/feed/entry")
        .and_then(Value::as_array)
        .ok_or_else(|| err(file, "Feld /feed/entry fehlt"))?;
    check_len(file, entries.len())?;
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let href = e
            .pointer("/content/src")
            .and_then(Value::as_str)
            .or_else(|| {
                e.get("link")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|l| l.get("rel").and_then(Value::as_str) == Some("self"))
                    .and_then(|l| l.get("href").and_then(Value::as_str))
            })
            .ok_or_else(|| {
                err(
                    file,
                    format!("/feed/entry/{i}: weder content/src noch ein Link rel=self"),
                )
            })?;
        let url = resolve(file, href).ok_or_else(|| {
            err(
                file,
                format!("/feed/entry/{i}: {href:?} ist keine http(s)-Adresse"),
            )
        })?;
        out.push(ListedDocument {
            url,
            changed: e
                .get("updated")
                .and_then(Value::as_str)
                .map(|s| s.chars().take(64).collect()),
        });
    }
    Ok(out)
}

/// A hash algorithm a provider publishes next to a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashKind {
    /// `.sha512`.
    Sha512,
    /// `.sha256`.
    Sha256,
}

impl HashKind {
    /// The file suffix, e.g. `.sha512`.
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Sha512 => ".sha512",
            Self::Sha256 => ".sha256",
        }
    }

    /// Hex digits of the digest.
    pub fn hex_len(self) -> usize {
        match self {
            Self::Sha512 => 128,
            Self::Sha256 => 64,
        }
    }
}

/// Reads a hash file (`<hex>  <file name>` as `sha512sum` writes it, or the hex alone) into
/// the lower-case hex digest.
pub fn parse_hash_file(
    file: &str,
    kind: HashKind,
    bytes: &[u8],
) -> Result<String, ProviderFileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| err(file, "kein gültiges UTF-8"))?;
    let hex = text.split_whitespace().next().unwrap_or_default();
    if hex.len() != kind.hex_len() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(err(
            file,
            format!("enthält keinen Hashwert aus {} Hex-Ziffern", kind.hex_len()),
        ));
    }
    Ok(hex.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_keeps_absolute_and_joins_relative_urls() {
        let base = "https://ex.org/.well-known/csaf/provider-metadata.json";
        assert_eq!(
            resolve(base, "white/2024/a.json").as_deref(),
            Some("https://ex.org/.well-known/csaf/white/2024/a.json")
        );
        assert_eq!(
            resolve(base, "/x.json").as_deref(),
            Some("https://ex.org/x.json")
        );
        assert_eq!(
            resolve(base, "http://o.org/y").as_deref(),
            Some("http://o.org/y")
        );
        assert_eq!(resolve(base, "file:///etc/passwd"), None);
        assert_eq!(resolve(base, "../../secret.json"), None);
        assert_eq!(resolve(base, ""), None);
    }

    #[test]
    fn metadata_of_the_oasis_example_names_its_rolie_feed() {
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/datasets/csaf/provider-metadata/oasis-example-01-provider-metadata.json"),
        );
        let Ok(bytes) = bytes else {
            eprintln!("note: dataset missing, skipped");
            return;
        };
        let m = parse_metadata(
            "https://www.example.com/.well-known/csaf/provider-metadata.json",
            &bytes,
        )
        .unwrap();
        assert_eq!(m.publisher, "Example Company ProductCERT");
        assert_eq!(m.role, "csaf_trusted_provider");
        assert!(m.has_openpgp_keys);
        assert_eq!(
            m.distributions,
            vec![Distribution::Rolie(
                "https://www.example.com/.well-known/csaf/feed-tlp-white.json".into()
            )]
        );
    }

    #[test]
    fn metadata_without_publisher_or_distribution_is_refused() {
        let e = parse_metadata("u", br#"{"distributions":[]}"#).unwrap_err();
        assert!(e.message.contains("/publisher/name"), "{e}");
        let e =
            parse_metadata("u", br#"{"publisher":{"name":"P"},"distributions":[]}"#).unwrap_err();
        assert!(e.message.contains("keine Verteilung"), "{e}");
        let e = parse_metadata("u", b"{").unwrap_err();
        assert!(e.message.contains("Zeile 1"), "{e}");
        let e = parse_metadata(
            "https://a/p.json",
            br#"{"publisher":{"name":"P"},"distributions":[{"directory_url":"ftp://x/"}]}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("directory_url"), "{e}");
    }

    #[test]
    fn changes_csv_gives_urls_with_timestamps_and_names_bad_lines() {
        let csv = b"\"2024/b.json\",\"2024-02-01T10:00:00Z\"\n\"2024/a.json\",\"2024-01-01T10:00:00Z\"\n\"2024/b.json\",\"2023-01-01T00:00:00Z\"\n";
        let l = parse_changes_csv("https://p/white", "changes.csv", csv).unwrap();
        assert_eq!(l.len(), 2, "the older line of b is ignored");
        assert_eq!(l[0].url, "https://p/white/2024/b.json");
        assert_eq!(l[0].changed.as_deref(), Some("2024-02-01T10:00:00Z"));
        let e = parse_changes_csv("https://p/w", "changes.csv", b"\"a.json\"\n").unwrap_err();
        assert!(e.message.contains("Zeile 1"), "{e}");
        let e = parse_changes_csv("https://p/w", "changes.csv", b"\"a.txt\",\"t\"\n").unwrap_err();
        assert!(e.message.contains("kein JSON"), "{e}");
    }

    #[test]
    fn index_txt_and_rolie_feed_give_document_urls() {
        let l =
            parse_index_txt("https://p/w", "index.txt", b"2024/a.json\n\n2024/b.json\n").unwrap();
        assert_eq!(
            l.iter().map(|d| d.url.as_str()).collect::<Vec<_>>(),
            ["https://p/w/2024/a.json", "https://p/w/2024/b.json"]
        );
        let feed = br#"{"feed":{"entry":[
            {"updated":"2024-01-01T00:00:00Z","content":{"src":"https://p/w/a.json"}},
            {"updated":"2024-01-02T00:00:00Z","link":[{"rel":"self","href":"b.json"}]}]}}"#;
        let l = parse_rolie_feed("https://p/w/feed.json", feed).unwrap();
        assert_eq!(l[1].url, "https://p/w/b.json");
        assert_eq!(l[1].changed.as_deref(), Some("2024-01-02T00:00:00Z"));
        let e = parse_rolie_feed("f", br#"{"feed":{"entry":[{}]}}"#).unwrap_err();
        assert!(e.message.contains("/feed/entry/0"), "{e}");
    }

    #[test]
    fn hash_files_are_read_with_or_without_a_file_name() {
        let h = "AB".repeat(32);
        assert_eq!(
            parse_hash_file("x", HashKind::Sha256, format!("{h}  a.json\n").as_bytes()).unwrap(),
            h.to_ascii_lowercase()
        );
        assert!(parse_hash_file("x", HashKind::Sha512, h.as_bytes()).is_err());
        assert!(parse_hash_file("x", HashKind::Sha256, b"zz").is_err());
        assert!(parse_hash_file("x", HashKind::Sha256, &[0xff, 0xfe]).is_err());
    }
}
