//! Files around an assessment: XLSX/CSV export and import of answers, evidence attachments.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use verbund_domain::assessment::ExportRow;
use verbund_domain::authz::{Actor, Permission};
use verbund_domain::{AnswerId, AssessmentId, EvidenceId};
use verbund_formats::assessment_import::{ImportError, ImportedAnswer};
use verbund_store::{AnswerFilter, AuditActor, EvidenceMeta, NewEvidence};

use super::org_of;
use crate::Services;
use crate::error::{Error, Result};
use crate::file::{FileOut, XLSX, slug};

/// Export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Excel workbook (round trip: can be imported again).
    Xlsx,
    /// Semicolon-separated UTF-8 text for German Excel.
    Csv,
}

/// Every answer of an assessment as XLSX or CSV.
pub async fn export(
    st: &Services,
    actor: &Actor,
    id: AssessmentId,
    format: ExportFormat,
) -> Result<FileOut> {
    let a = org_of(st, actor, id, Permission::ReadAssessments).await?;
    let scope = actor.scope(Permission::ReadAssessments);
    let topics = st.store.assessment_topics(&scope, id).await?;
    let rows = st
        .store
        .answers(&scope, id, &AnswerFilter::default(), None)
        .await?
        .items;
    let topic_name = |i: i64| {
        topics
            .iter()
            .find(|t| t.topic_index == i)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let rows: Vec<ExportRow> = rows
        .into_iter()
        .map(|r| ExportRow {
            topic: topic_name(r.topic_index),
            requirement: [r.name.as_deref(), r.description.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(": "),
            urn: r.urn,
            ref_id: r.ref_id,
            priority: r.priority,
            answer: r.answer,
        })
        .collect();
    let stem = format!("bewertung-{}-{}", slug(&a.org_name), slug(&a.catalog_name));
    match format {
        ExportFormat::Csv => Ok(FileOut {
            filename: format!("{stem}.csv"),
            content_type: "text/csv; charset=utf-8",
            bytes: verbund_formats::assessment_csv::export_csv(&rows).into_bytes(),
        }),
        ExportFormat::Xlsx => {
            let (title, member) = (a.catalog_name.clone(), a.org_name.clone());
            let bytes = tokio::task::spawn_blocking(move || {
                verbund_reports::assessment_xlsx(&title, &member, &rows)
            })
            .await
            .map_err(|e| Error::Internal(e.to_string()))?
            .map_err(|e| Error::Internal(e.to_string()))?;
            Ok(FileOut {
                filename: format!("{stem}.xlsx"),
                content_type: XLSX,
                bytes,
            })
        }
    }
}

/// What an import changed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// Rows read from the file.
    pub rows: usize,
    /// Answers that changed.
    pub changed: usize,
}

fn import_error(e: &ImportError) -> Error {
    if e.is_too_large() {
        Error::TooLarge {
            code: "error-import-too-large",
            detail: e.to_string(),
        }
    } else {
        Error::BadInput {
            code: "error-import-answers",
            detail: e.to_string(),
        }
    }
}

/// Imports answers from an exported XLSX or CSV file (recognised by content). All rows are
/// checked first; any error (unknown URN, bad status or date, entbehrlich without
/// justification) refuses the whole file with line numbers, and nothing changes.
///
/// Fails with `TooLarge` (`error-import-too-large`) for a file over the import limits
/// (an XLSX that unpacks to too much, more than 50,000 rows or 64 columns; the detail names
/// the limit) and with `BadInput` (`error-import-answers`) for any other problem.
pub async fn import(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    id: AssessmentId,
    bytes: &[u8],
) -> Result<ImportOutcome> {
    org_of(st, actor, id, Permission::ManageAssessments).await?;
    // Checking and reading a workbook unpacks up to the archive limits: CPU work that must
    // not hold up the other requests on this worker thread.
    let owned = bytes.to_vec();
    let parsed: Vec<ImportedAnswer> = tokio::task::spawn_blocking(move || {
        if owned.starts_with(b"PK") {
            verbund_formats::assessment_xlsx::import_xlsx(&owned)
        } else {
            verbund_formats::assessment_csv::import_csv(&owned)
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
    .map_err(|e| import_error(&e))?;
    let scope = actor.scope(Permission::ManageAssessments);
    let by_urn: std::collections::HashMap<String, AnswerId> = st
        .store
        .answer_ids_by_urn(&scope, id)
        .await?
        .into_iter()
        .collect();
    let mut unknown = Vec::new();
    let mut changes = Vec::with_capacity(parsed.len());
    for row in &parsed {
        match by_urn.get(&row.urn) {
            Some(answer_id) => changes.push((*answer_id, None, row.answer.clone())),
            None => unknown.push(format!(
                "Zeile {}: Die Anforderung „{}“ gehört nicht zu dieser Bewertung.",
                row.line, row.urn
            )),
        }
    }
    if !unknown.is_empty() {
        unknown.truncate(50);
        return Err(Error::BadInput {
            code: "error-import-answers",
            detail: unknown.join("\n"),
        });
    }
    let before = st
        .store
        .answers_by_id(&scope, id, &changes.iter().map(|c| c.0).collect::<Vec<_>>())
        .await?;
    let changed = changes
        .iter()
        .filter(|(aid, _, a)| before.iter().any(|b| b.id == *aid && b.answer != *a))
        .count();
    st.store.set_answers(by, &scope, id, &changes).await?;
    Ok(ImportOutcome {
        rows: parsed.len(),
        changed,
    })
}

/// Largest evidence file.
pub const EVIDENCE_LIMIT: usize = 10 * 1024 * 1024;

/// An uploaded evidence file.
#[derive(Debug)]
pub struct EvidenceIn {
    /// File name as given by the client.
    pub file_name: String,
    /// Content.
    pub content: Vec<u8>,
}

/// The MIME type of accepted evidence, recognised from the content (not the name): PDF, PNG,
/// JPEG, Office Open XML / OpenDocument (ZIP), plain UTF-8 text.
fn sniff(name: &str, bytes: &[u8]) -> Option<&'static str> {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"PK\x03\x04") {
        match ext.as_str() {
            "docx" => {
                Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            }
            "xlsx" => Some(XLSX),
            "pptx" => {
                Some("application/vnd.openxmlformats-officedocument.presentationml.presentation")
            }
            "odt" => Some("application/vnd.oasis.opendocument.text"),
            "ods" => Some("application/vnd.oasis.opendocument.spreadsheet"),
            _ => None,
        }
    } else if matches!(ext.as_str(), "txt" | "csv" | "md") && std::str::from_utf8(bytes).is_ok() {
        Some("text/plain; charset=utf-8")
    } else {
        None
    }
}

/// Attaches an evidence file to an answer (size limit, type check by content).
pub async fn add_evidence(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    answer_id: AnswerId,
    f: EvidenceIn,
) -> Result<EvidenceMeta> {
    let (_, org) = st
        .store
        .answer_assessment(&actor.scope(Permission::ReadAssessments), answer_id)
        .await?;
    actor.check(Permission::AnswerAssessments, org)?;
    let name: String = f
        .file_name
        .trim()
        .chars()
        .filter(|&c| {
            !verbund_domain::validation::is_forbidden_char(c, false) && !matches!(c, '/' | '\\')
        })
        .take(200)
        .collect();
    if name.is_empty() {
        return Err(
            verbund_domain::validation::ValidationErrors::single("file", "error-required").into(),
        );
    }
    if f.content.is_empty() || f.content.len() > EVIDENCE_LIMIT {
        return Err(verbund_domain::validation::ValidationErrors::single(
            "file",
            "error-file-size",
        )
        .into());
    }
    let content_type = sniff(&name, &f.content).ok_or(
        verbund_domain::validation::ValidationErrors::single("file", "error-file-type"),
    )?;
    let sha = hex::encode(Sha256::digest(&f.content));
    let e = NewEvidence {
        file_name: name,
        content_type: content_type.to_owned(),
        content: f.content,
    };
    Ok(st
        .store
        .add_evidence(
            by,
            &actor.scope(Permission::AnswerAssessments),
            answer_id,
            &e,
            &sha,
        )
        .await?)
}

/// Evidence files of an answer.
pub async fn evidence_list(
    st: &Services,
    actor: &Actor,
    answer_id: AnswerId,
) -> Result<Vec<EvidenceMeta>> {
    Ok(st
        .store
        .evidence_list(&actor.scope(Permission::ReadAssessments), answer_id)
        .await?)
}

/// One evidence file for download.
pub async fn evidence(st: &Services, actor: &Actor, evidence_id: EvidenceId) -> Result<FileOut> {
    let (meta, bytes) = st
        .store
        .evidence(&actor.scope(Permission::ReadAssessments), evidence_id)
        .await?;
    let ext = meta
        .file_name
        .rsplit_once('.')
        .map(|(_, e)| slug(e))
        .unwrap_or_default();
    let stem = meta
        .file_name
        .rsplit_once('.')
        .map_or(meta.file_name.as_str(), |(s, _)| s);
    let filename = if ext.is_empty() {
        slug(stem)
    } else {
        format!("{}.{ext}", slug(stem))
    };
    let content_type = match meta.content_type.as_str() {
        "application/pdf" => "application/pdf",
        "image/png" => "image/png",
        "image/jpeg" => "image/jpeg",
        "text/plain; charset=utf-8" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Ok(FileOut {
        filename,
        content_type,
        bytes,
    })
}

/// Deletes an evidence file.
pub async fn delete_evidence(
    st: &Services,
    by: &AuditActor,
    actor: &Actor,
    evidence_id: EvidenceId,
) -> Result<()> {
    let (meta, _) = st
        .store
        .evidence(&actor.scope(Permission::ReadAssessments), evidence_id)
        .await?;
    let (_, org) = st
        .store
        .answer_assessment(&actor.scope(Permission::ReadAssessments), meta.answer_id)
        .await?;
    actor.check(Permission::AnswerAssessments, org)?;
    Ok(st
        .store
        .delete_evidence(by, &actor.scope(Permission::AnswerAssessments), evidence_id)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn evidence_type_comes_from_the_content_not_the_name() {
        assert_eq!(sniff("a.pdf", b"%PDF-1.7 ..."), Some("application/pdf"));
        assert_eq!(
            sniff("bild.pdf", b"\x89PNG\r\n\x1a\nxxxx"),
            Some("image/png")
        );
        assert_eq!(sniff("x.exe", b"MZ\x90\x00"), None);
        assert_eq!(
            sniff("notiz.txt", "Prüfung ok".as_bytes()),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sniff("notiz.txt", b"\xff\xfe\x00"), None);
        assert_eq!(sniff("archiv.zip", b"PK\x03\x04...."), None);
    }
}
