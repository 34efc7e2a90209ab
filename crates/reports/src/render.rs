//! Typst as a library: a minimal in-memory [`World`] with embedded fonts, and the PDF export.
//!
//! A document is a fixed template (`*.typ` in this crate) plus its data as a JSON file the
//! template reads with `json("data.json")`. User text (member names, key labels, subsidy
//! names) therefore only ever reaches typst as string values, never as markup, so
//! characters like `#`, `*`, `$` or `[` print as they are and cannot run code.
//!
//! Every string of the data passes [`printable`](crate::printable::printable) first, with
//! the embedded fonts' coverage: control characters go, and what no font has is printed as
//! a visible replacement, so no stored text can make a document fail.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::ReportError;

/// Liberation Sans (SIL OFL 1.1, metrics of Arial): regular, bold and italic. Typst picks
/// bold and italic by weight and style from the one family. DejaVu Sans (Bitstream Vera
/// licence, regular only, 760 KB) is the fallback for what Liberation Sans lacks: about
/// 6,000 characters (Greek, Cyrillic, Armenian, Georgian, arrows, mathematical operators,
/// box drawing, U+FFFD for anything else).
const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    include_bytes!("../fonts/LiberationSans-Italic.ttf"),
    include_bytes!("../fonts/DejaVuSans.ttf"),
];

/// Fonts and the standard library are immutable and the same for every document, so they
/// are parsed once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// One document to compile: the template as the main file plus `data.json` and the images
/// it names.
struct DocWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    images: Vec<(FileId, Bytes)>,
}

/// An image a template may show: the top-level data field `key` names its file (absent
/// when there is no image), e.g. `d.at("logo", default: none)`.
pub(crate) struct Embedded<'a> {
    /// Data field and file stem.
    pub key: &'static str,
    /// The checked PNG or JPEG.
    pub logo: &'a verbund_domain::logo::Logo,
}

impl<'a> Embedded<'a> {
    /// The document's logo (data field `logo`), if there is one.
    pub fn logo(logo: &'a Option<verbund_domain::logo::Logo>) -> Vec<Self> {
        logo.iter().map(|logo| Self { key: "logo", logo }).collect()
    }
}

fn project_file(path: &str) -> Result<FileId, ReportError> {
    let vpath = VirtualPath::new(path)
        .map_err(|e| ReportError::Render(format!("invalid path {path}: {e:?}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if let Some((_, bytes)) = self.images.iter().find(|(i, _)| *i == id) {
            Ok(bytes.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(FileError::NotFound(
                id.get().vpath().get_without_slash().into(),
            ))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    // Documents carry the issue date they are given; "today" would make output depend
    // on when it is rendered.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// Whether any embedded font has a glyph for `c`.
pub(crate) fn covered(c: char) -> bool {
    SHARED
        .fonts
        .iter()
        .any(|f| f.info().coverage.contains(u32::from(c)))
}

/// The JSON `data` with every string made printable by the embedded fonts, and each image's
/// file name under its key.
fn printable_data(data: &[u8], images: &[(&'static str, String)]) -> Result<Vec<u8>, ReportError> {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => *s = crate::printable::printable(s, covered),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value: serde_json::Value =
        serde_json::from_slice(data).map_err(|e| ReportError::Render(e.to_string()))?;
    walk(&mut value);
    if let serde_json::Value::Object(map) = &mut value {
        for (key, file) in images {
            map.insert((*key).to_owned(), serde_json::Value::String(file.clone()));
        }
    }
    serde_json::to_vec(&value).map_err(|e| ReportError::Render(e.to_string()))
}

fn describe(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let hints: Vec<&str> = d.hints.iter().map(|h| h.v.as_str()).collect();
            if hints.is_empty() {
                d.message.to_string()
            } else {
                format!("{} (hint: {})", d.message, hints.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Compiles `template` with `data` (JSON) as `data.json` to a tagged PDF conforming to
/// PDF/UA-1 (accessibility) and, when the creation `date` (year, month, day) is known,
/// PDF/A-2a (archival), which requires one. `images` (logos) are files the template may
/// show, named in the data under their keys.
///
/// Every string in `data` is made printable first (see the module documentation), so text
/// cannot make it fail. It fails on any typst error or warning: the templates are fixed,
/// so a warning is a bug that must not slip into issued documents. The images passed the
/// header check on upload, but their content was never decoded: should typst refuse one,
/// the document is rendered without images rather than not at all, since an issued
/// statement must always print.
pub(crate) fn pdf_with_images(
    template: &str,
    data: Vec<u8>,
    date: Option<(i32, u8, u8)>,
    images: &[Embedded<'_>],
) -> Result<Vec<u8>, ReportError> {
    if images.is_empty() {
        return compile(template, &data, date, &[]);
    }
    compile(template, &data, date, images).or_else(|_| compile(template, &data, date, &[]))
}

fn compile(
    template: &str,
    data: &[u8],
    date: Option<(i32, u8, u8)>,
    images: &[Embedded<'_>],
) -> Result<Vec<u8>, ReportError> {
    let names: Vec<(&'static str, String)> = images
        .iter()
        .map(|i| {
            (
                i.key,
                format!("{}.{}", i.key, i.logo.info.format.extension()),
            )
        })
        .collect();
    let files = names
        .iter()
        .zip(images)
        .map(|((_, file), i)| Ok((project_file(file)?, Bytes::new(i.logo.bytes.clone()))))
        .collect::<Result<Vec<_>, ReportError>>()?;
    let world = DocWorld {
        main: Source::new(project_file("main.typ")?, template.to_owned()),
        data_id: project_file("data.json")?,
        data: Bytes::new(printable_data(data, &names)?),
        images: files,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    // Keep the memoisation cache of a long-running server bounded.
    typst::comemo::evict(10);
    let document = warned
        .output
        .map_err(|errors| ReportError::Render(describe(errors.as_slice())))?;
    if !warned.warnings.is_empty() {
        return Err(ReportError::Render(describe(&warned.warnings)));
    }
    let timestamp = date
        .and_then(|(y, m, d)| Datetime::from_ymd(y, m, d))
        .map(Timestamp::new_utc);
    let list: &[PdfStandard] = if timestamp.is_some() {
        &[PdfStandard::A_2a, PdfStandard::Ua_1]
    } else {
        &[PdfStandard::Ua_1]
    };
    let standards =
        PdfStandards::new(list).map_err(|e| ReportError::Render(e.message().to_string()))?;
    let options = PdfOptions {
        standards,
        timestamp,
        tagged: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options)
        .map_err(|errors| ReportError::Render(describe(errors.as_slice())))
}
