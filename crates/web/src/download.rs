//! Generated files (PDF, XLSX, CSV) sent as downloads.

use axum::http::header;
use axum::response::{IntoResponse, Response};

pub use verbund_app::file::{FileOut, XLSX, slug};

/// A generated file as an HTTP download (attachment, never cached).
#[derive(Debug)]
pub struct Download(pub FileOut);

impl From<FileOut> for Download {
    fn from(f: FileOut) -> Self {
        Self(f)
    }
}

impl IntoResponse for Download {
    fn into_response(self) -> Response {
        let Download(file) = self;
        let disposition = format!(
            "attachment; filename=\"{}\"",
            file.filename.replace(['"', '\\'], "")
        );
        (
            [
                (header::CONTENT_TYPE, file.content_type.to_owned()),
                (header::CONTENT_DISPOSITION, disposition),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            file.bytes,
        )
            .into_response()
    }
}
