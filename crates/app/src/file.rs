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

/// The file format of a report that exists as a printable document and as a workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// Tagged PDF (PDF/UA-1, PDF/A-2a).
    Pdf,
    /// Excel workbook, one sheet per part.
    Xlsx,
}

/// Renders a report off the async workers (typst layout and the workbook writer are
/// CPU-bound) and names it `{stem}.pdf` or `{stem}.xlsx`. `render` gets the format.
pub async fn render_report(
    format: ReportFormat,
    stem: &str,
    render: impl FnOnce(ReportFormat) -> Result<Vec<u8>, verbund_reports::ReportError> + Send + 'static,
) -> crate::error::Result<FileOut> {
    let (filename, content_type) = match format {
        ReportFormat::Pdf => (format!("{stem}.pdf"), "application/pdf"),
        ReportFormat::Xlsx => (format!("{stem}.xlsx"), XLSX),
    };
    let bytes = tokio::task::spawn_blocking(move || render(format))
        .await
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    Ok(FileOut {
        filename,
        content_type,
        bytes,
    })
}

/// The heading logo of a member's document: its coat of arms, else the federation's logo.
pub async fn member_logo(
    st: &crate::Services,
    fed: &verbund_store::Federation,
    org: verbund_domain::OrgId,
) -> crate::error::Result<Option<verbund_domain::logo::Logo>> {
    Ok(
        match crate::branding::for_document(st, fed, Some(org)).await? {
            Some(arms) => Some(arms),
            None => crate::branding::for_document(st, fed, None).await?,
        },
    )
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
