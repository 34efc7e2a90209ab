//! Crisis pact downloads: a member's emergency handbook (PDF) and a crisis' settlement (XLSX).

use axum::extract::State;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use verbund_domain::{OrgId, PactCrisisId};

use crate::AppState;
use crate::context::CurrentUser;
use crate::download::Download;
use crate::error::AppResult;
use crate::extract::IdPath;

/// The header that tells whether the handbook's content changed since it was last generated.
pub const CHANGED_HEADER: &str = "x-verbund-handbook-changed";

/// A handbook as a download, with [`CHANGED_HEADER`] `true` or `false`.
pub fn handbook_response(h: verbund_app::pact_handbook::Handbook) -> Response {
    let changed = h.stand.changed;
    let mut r = Download(h.file).into_response();
    r.headers_mut().insert(
        CHANGED_HEADER,
        HeaderValue::from_static(if changed { "true" } else { "false" }),
    );
    r
}

/// A member's emergency handbook.
pub async fn handbook(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let h = verbund_app::pact_handbook::handbook(&st, &cu.audit(), cu.actor(), OrgId(id)).await?;
    Ok(handbook_response(h))
}

/// A crisis' settlement workbook.
pub async fn settlement(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Download> {
    Ok(Download(
        verbund_app::pact_settlement::settlement(&st, cu.actor(), PactCrisisId(id)).await?,
    ))
}
