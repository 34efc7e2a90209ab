//! Documents of issued statements: PDF letters and XLSX workbooks, downloaded one at a time
//! (the office any, a member only its own) or written all at once into a directory (CLI).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::io::AsyncWriteExt;
use verbund_domain::authz::{Actor, Permission, Scope, SystemAccess};
use verbund_domain::costs::StatementDocument;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, StatementId};
use verbund_reports::{IssuedStatement, Letterhead};
use verbund_store::{Federation, StoredStatement};

use super::{document, own_member};
use crate::Services;
use crate::costs::check_year;
use crate::error::{Error, Result};
use crate::file::{FileOut, XLSX, slug};

/// An issued statement with what its documents need, loaded once and shared by every file
/// rendered from it.
struct Printable {
    federation: Federation,
    stored: StoredStatement,
    document: StatementDocument,
    letterhead: Letterhead,
}

impl Printable {
    async fn load(st: &Services, fed: &Federation, stored: StoredStatement) -> Result<Self> {
        Ok(Self {
            document: document(&stored)?,
            letterhead: crate::settings::letterhead(st, fed).await?,
            federation: fed.clone(),
            stored,
        })
    }

    /// `kostenbeteiligung-<year>-<id>-<member slug or "alle">.<ext>`; a name without a
    /// letter or digit of the slug alphabet (e.g. only emoji) becomes `mitglied-<member ID>`.
    fn file_name(&self, member: Option<OrgId>, ext: &str) -> String {
        let who = member.and_then(|m| self.document.member(m)).map_or_else(
            || "alle".to_owned(),
            |m| {
                Some(slug(&m.name))
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| format!("mitglied-{}", m.id))
            },
        );
        format!(
            "kostenbeteiligung-{}-{}-{who}.{ext}",
            self.stored.year, self.stored.id
        )
    }

    fn issued(&self) -> IssuedStatement<'_> {
        IssuedStatement {
            id: self.stored.id.0,
            issued_at: issued_on(self.stored.issued_at_ms),
            issued_by: self.stored.issued_by.clone(),
            document: &self.document,
        }
    }
}

/// Loads statement `id` after the access check and decides the member it is printed for
/// (`None` = the whole statement, office only).
async fn printable(
    st: &Services,
    actor: &Actor,
    id: StatementId,
    member: Option<OrgId>,
) -> Result<(Arc<Printable>, Option<OrgId>)> {
    let fed = crate::federation(&st.store).await?;
    if actor.check_office(Permission::ReadCosts).is_ok() {
        let whole = st
            .store
            .statement(&actor.scope(Permission::ReadCosts), fed.id, id)
            .await?;
        let p = Printable::load(st, &fed, whole).await?;
        if let Some(m) = member
            && p.document.statement.bill(m).is_none()
        {
            return Err(Error::NotFound);
        }
        return Ok((Arc::new(p), member));
    }
    // A member reads only its own part (its bill plus the federation-wide totals recorded
    // with it); asking for another member's is "not found".
    let part = st
        .store
        .statement(&actor.scope(Permission::ReadCosts), fed.id, id)
        .await?;
    let p = Printable::load(st, &fed, part).await?;
    let own = own_member(actor, &p.document).ok_or(Error::NotFound)?;
    if member.is_some_and(|m| m != own) {
        return Err(Error::NotFound);
    }
    Ok((Arc::new(p), Some(own)))
}

/// The CLI writes the office's view of a statement: every member's documents.
fn cli_access() -> Scope {
    Scope::system(&SystemAccess::for_reason(
        "CLI writes every member's statement files",
    ))
}

/// The printed date of a statement: its issue day in Berlin time.
fn issued_on(ms: i64) -> String {
    verbund_domain::localtime::fmt_ms(ms)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn render_blocking<F>(f: F) -> Result<Vec<u8>>
where
    F: FnOnce() -> Result<Vec<u8>, verbund_reports::ReportError> + Send + 'static,
{
    // Typst layout and the workbook writer are CPU-bound: keep them off the async workers.
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))
}

/// Member `m`'s letter as a PDF, with its coat of arms if one was uploaded.
async fn render_pdf(st: &Services, p: Arc<Printable>, m: OrgId) -> Result<FileOut> {
    let filename = p.file_name(Some(m), "pdf");
    let arms = crate::branding::for_document(st, &p.federation, Some(m)).await?;
    let bytes = render_blocking(move || {
        verbund_reports::member_statement_pdf_with_arms(
            &p.issued(),
            m,
            &p.letterhead,
            arms.as_ref(),
        )
    })
    .await?;
    Ok(FileOut {
        filename,
        content_type: "application/pdf",
        bytes,
    })
}

/// The calculation as a workbook: whole, or `member`'s part.
async fn render_xlsx(p: Arc<Printable>, member: Option<OrgId>) -> Result<FileOut> {
    let filename = p.file_name(member, "xlsx");
    let bytes = render_blocking(move || {
        verbund_reports::statement_xlsx(&p.issued(), member, &p.letterhead)
    })
    .await?;
    Ok(FileOut {
        filename,
        content_type: XLSX,
        bytes,
    })
}

/// One member's statement as a PDF letter. The office names the member; a member gets its own.
pub async fn statement_pdf(
    st: &Services,
    actor: &Actor,
    id: StatementId,
    member: Option<OrgId>,
) -> Result<FileOut> {
    let (p, member) = printable(st, actor, id, member).await?;
    let m = member.ok_or(ValidationErrors::single("member", "error-required"))?;
    render_pdf(st, p, m).await
}

/// The calculation as an XLSX workbook: whole for the office (or one member if named), a
/// member's own part for a member.
pub async fn statement_xlsx(
    st: &Services,
    actor: &Actor,
    id: StatementId,
    member: Option<OrgId>,
) -> Result<FileOut> {
    let (p, member) = printable(st, actor, id, member).await?;
    render_xlsx(p, member).await
}

/// All letters of a statement in one ZIP file (office): one PDF per member, named as the
/// single downloads are, stored uncompressed (PDFs are compressed already). Members get
/// `NotFound`, an office role without the right to read costs `Forbidden`.
pub async fn statement_zip(st: &Services, actor: &Actor, id: StatementId) -> Result<FileOut> {
    actor.check_office(Permission::ReadCosts)?;
    let (p, _) = printable(st, actor, id, None).await?;
    let mut files = Vec::with_capacity(p.document.statement.bills.len());
    let mut used = std::collections::HashSet::new();
    let members: Vec<OrgId> = p
        .document
        .statement
        .bills
        .iter()
        .map(|b| b.member)
        .collect();
    for m in members {
        let mut f = render_pdf(st, Arc::clone(&p), m).await?;
        if !used.insert(f.filename.clone()) {
            f.filename = format!("{}-{m}.pdf", f.filename.trim_end_matches(".pdf"));
            used.insert(f.filename.clone());
        }
        files.push(f);
    }
    let filename = p.file_name(None, "zip");
    let bytes = render_blocking(move || {
        zip_files(&files).map_err(|e| verbund_reports::ReportError::Render(e.to_string()))
    })
    .await?;
    Ok(FileOut {
        filename,
        content_type: "application/zip",
        bytes,
    })
}

fn zip_files(files: &[FileOut]) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for f in files {
        w.start_file(f.filename.as_str(), opts)?;
        w.write_all(&f.bytes)?;
    }
    Ok(w.finish()?.into_inner())
}

/// The files [`write_statement_files`] wrote, and those it could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFiles {
    /// The statement they were printed from.
    pub statement_id: StatementId,
    /// The PDF letters written, in the statement's order.
    pub letters: Vec<PathBuf>,
    /// The workbook with the whole calculation, unless it failed.
    pub workbook: Option<PathBuf>,
    /// Bytes written in all.
    pub bytes: u64,
    /// The documents that could not be rendered or written; the others were written.
    pub failures: Vec<FailedFile>,
}

/// A document [`write_statement_files`] could not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedFile {
    /// The member whose letter it is, with its name; `None` for the workbook.
    pub member: Option<(OrgId, String)>,
    /// The file it should have become.
    pub file: PathBuf,
    /// Why, for the operator (file system or renderer message).
    pub reason: String,
}

impl FailedFile {
    fn new(member: Option<(OrgId, String)>, file: PathBuf, e: Error) -> Self {
        let reason = match e {
            Error::Internal(cause) => cause,
            other => other.to_string(),
        };
        Self {
            member,
            file,
            reason,
        }
    }
}

/// Writes an issued statement of `year` into the directory `out` (created if missing): one
/// PDF letter per member and one workbook with the whole calculation, named as the downloads
/// are (`kostenbeteiligung-<year>-<id>-<member>.pdf`, `…-alle.xlsx`). `statement` picks one;
/// default is the newest of the year. Existing files are replaced; each is written to
/// `<name>.tmp` first and then renamed, so an interrupted run leaves no half file.
/// `progress(done, total, label)` is called once with `done = 0` before the first file and
/// then after each file, `label` naming what was written: the member, for the workbook its
/// file name.
///
/// For trusted server-side callers (the CLI): there is no actor, the office's view is written.
///
/// A document that cannot be rendered or written does not stop the others: every document
/// that can be is written, and the rest are listed in [`WrittenFiles::failures`] (the
/// caller decides how to report them).
///
/// Fails with `error-year` for a year out of range, `error-no-statement` if the year has no
/// statement, `error-statement-year` if `statement` belongs to another year, `NotFound` if it
/// does not exist, and `Internal` if the directory cannot be created.
pub async fn write_statement_files(
    st: &Services,
    year: i32,
    statement: Option<StatementId>,
    out: &Path,
    mut progress: impl FnMut(usize, usize, &str),
) -> Result<WrittenFiles> {
    let year = check_year(year)?;
    let fed = crate::federation(&st.store).await?;
    // `detail` is what the CLI prints; it is German for that reason.
    let stored = match statement {
        Some(id) => {
            let s = st.store.statement(&cli_access(), fed.id, id).await?;
            if s.year != year {
                return Err(Error::BadInput {
                    code: "error-statement-year",
                    detail: format!("Abrechnung {id} gehört zu {}, nicht zu {year}", s.year),
                });
            }
            s
        }
        // Newest first.
        None => st
            .store
            .statements(&cli_access(), fed.id, Some(year))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::BadInput {
                code: "error-no-statement",
                detail: format!("Für {year} wurde noch keine Abrechnung erstellt"),
            })?,
    };
    let p = Arc::new(Printable::load(st, &fed, stored).await?);
    tokio::fs::create_dir_all(out)
        .await
        .map_err(|e| io_error(out, &e))?;
    let members: Vec<(OrgId, String)> = p
        .document
        .statement
        .bills
        .iter()
        .map(|b| (b.member, b.name.clone()))
        .collect();
    let total = members.len() + 1;
    let mut written = WrittenFiles {
        statement_id: p.stored.id,
        letters: Vec::with_capacity(members.len()),
        workbook: None,
        bytes: 0,
        failures: Vec::new(),
    };
    progress(0, total, "");
    let mut used = std::collections::HashSet::new();
    for (i, (m, name)) in members.iter().enumerate() {
        let mut file = p.file_name(Some(*m), "pdf");
        if !used.insert(file.clone()) {
            // Two members whose names give the same slug must not overwrite each other.
            file = format!("{}-{m}.pdf", file.trim_end_matches(".pdf"));
            used.insert(file.clone());
        }
        let path = out.join(file);
        match render_and_write(render_pdf(st, Arc::clone(&p), *m), &path).await {
            Ok(bytes) => {
                written.bytes += bytes;
                written.letters.push(path);
            }
            Err(e) => written
                .failures
                .push(FailedFile::new(Some((*m, name.clone())), path, e)),
        }
        progress(i + 1, total, name);
    }
    let path = out.join(p.file_name(None, "xlsx"));
    let label = path.file_name().map(|n| n.to_string_lossy().into_owned());
    match render_and_write(render_xlsx(p, None), &path).await {
        Ok(bytes) => {
            written.bytes += bytes;
            written.workbook = Some(path);
        }
        Err(e) => written.failures.push(FailedFile::new(None, path, e)),
    }
    progress(total, total, label.as_deref().unwrap_or_default());
    Ok(written)
}

/// Renders a document and writes it atomically to `path`; the bytes written.
async fn render_and_write(
    render: impl std::future::Future<Output = Result<FileOut>>,
    path: &Path,
) -> Result<u64> {
    let file = render.await?;
    write_atomically(path, &file.bytes).await
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Internal(format!("{}: {e}", path.display()))
}

/// Writes `bytes` to `path` through `<path>.tmp`, synced and then renamed, so `path` never
/// holds a partial file; returns the number of bytes.
async fn write_atomically(path: &Path, bytes: &[u8]) -> Result<u64> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = async {
        let mut f = tokio::fs::File::create(&tmp).await?;
        f.write_all(bytes).await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&tmp, path).await
    }
    .await;
    if let Err(e) = written {
        let _ = tokio::fs::remove_file(&tmp).await;
        return Err(io_error(path, &e));
    }
    Ok(bytes.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::write_atomically;

    #[tokio::test]
    async fn atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("verbund-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("a.pdf");
        std::fs::write(&path, b"old and longer").expect("old file");

        let n = write_atomically(&path, b"new").await.expect("written");

        assert_eq!(n, 3);
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert!(!dir.join("a.pdf.tmp").exists());
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[tokio::test]
    async fn atomic_write_into_a_missing_directory_fails_naming_the_file() {
        let path = std::env::temp_dir()
            .join(format!("verbund-missing-{}", std::process::id()))
            .join("a.pdf");

        let err = write_atomically(&path, b"x")
            .await
            .expect_err("no directory");

        assert!(err.to_string().contains("a.pdf"), "{err}");
    }
}
