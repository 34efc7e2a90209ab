//! Generated files (PDF, XLSX, CSV) handed to the user as downloads or written by the CLI.

/// MIME type of XLSX workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A generated file.
#[derive(Debug)]
pub struct FileOut {
    /// Suggested file name (ASCII, see [`slug`]).
    pub filename: String,
    /// MIME type.
    pub content_type: &'static str,
    /// The content.
    pub bytes: Vec<u8>,
}

/// Lower-case ASCII for file names: umlauts spelled out, everything else not alphanumeric
/// becomes a single dash.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') => out.push('-'),
            _ => {}
        }
    }
    out.trim_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_ascii_file_names() {
        assert_eq!(slug("Rüsselsheim am Main"), "ruesselsheim-am-main");
        assert_eq!(slug("Kreis Groß-Gerau"), "kreis-gross-gerau");
        assert_eq!(slug(" (Test) "), "test");
    }
}
