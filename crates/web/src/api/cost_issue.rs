//! Issuing without surprises through the API: the draft of a statement (every member's
//! amount, payment reference, due date) before issuing it, all letters as one ZIP file, and
//! each member's own standalone cost.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use verbund_domain::{CostKeyId, StatementId};

use super::{ApiJson, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::download::Download;
use crate::error::{AppResult, ErrorBody};
use verbund_app::costs::{self, MemberStandalone};
use verbund_app::statements::{self, IssueDraft, IssueOptions};
use verbund_domain::validation::ValidationErrors;

/// Which statement to draft, with the office's changes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftIn {
    /// Year.
    pub year: i32,
    /// Key version.
    pub key_id: i64,
    /// Due date (`2027-03-31` or `31.03.2027`); default: today plus the settings' payment days.
    #[serde(default)]
    pub due_on: Option<String>,
    /// Payment references replacing the pattern's, by member ID (`{"12": "VB-2026-12"}`); a
    /// key that is no member ID is refused with 422.
    #[serde(default)]
    pub references: std::collections::BTreeMap<String, String>,
}

/// The references of a request by member ID. JSON object keys are text, so a key that is not a
/// number is a field error (422), not a malformed body.
pub(crate) fn references_by_member(
    raw: std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<verbund_domain::OrgId, String>, ValidationErrors> {
    raw.into_iter()
        .map(|(k, v)| {
            k.trim()
                .parse::<i64>()
                .map(|id| (verbund_domain::OrgId(id), v))
                .map_err(|_| ValidationErrors::single("references", "error-number"))
        })
        .collect()
}

/// What issuing would store: year, key version, totals, every member's amount, payment reference and address, due date, bank account, signer, and a fingerprint to issue exactly this (office).
#[utoipa::path(post, path = "/costs/statements/draft", operation_id = "draft_statement", request_body = DraftIn, tag = "costs",
    responses((status = 200, body = IssueDraft), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn draft(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<DraftIn>,
) -> AppResult<Json<IssueDraft>> {
    let opts = IssueOptions {
        due_on: b.due_on,
        references: references_by_member(b.references)?,
        fingerprint: None,
    };
    Ok(Json(
        statements::draft(&st, &u.actor, b.year, CostKeyId(b.key_id), &opts).await?,
    ))
}

/// All letters of a statement as one ZIP file, one PDF per member (office).
#[utoipa::path(get, path = "/costs/statements/{id}/zip", operation_id = "get_statement_zip", params(("id" = i64, Path)), tag = "costs",
    responses((status = 200, content_type = "application/zip", body = super::Binary, description = "All letters as a ZIP download."),
        (status = 403, body = ErrorBody)))]
pub async fn statement_zip(
    State(st): State<AppState>,
    u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Download> {
    Ok(Download(
        statements::statement_zip(&st, &u.actor, StatementId(id)).await?,
    ))
}

/// Every member with its own standalone cost (`amount_cents` null: the key's common figure applies) (office).
#[utoipa::path(get, path = "/costs/standalone", operation_id = "list_standalone_costs", tag = "costs",
    responses((status = 200, body = Vec<MemberStandalone>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn standalone(
    State(st): State<AppState>,
    u: ApiUser,
) -> AppResult<Json<Vec<MemberStandalone>>> {
    Ok(Json(costs::standalone_costs(&st, &u.actor).await?))
}

/// Members' own standalone costs to set or clear.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandaloneIn {
    /// The members to change; `amount_cents: null` clears a member's own figure.
    pub members: Vec<MemberStandalone>,
}

/// Sets or clears members' own standalone costs; members not listed keep theirs. Returns every member (office).
#[utoipa::path(put, path = "/costs/standalone", operation_id = "update_standalone_costs", request_body = StandaloneIn, tag = "costs",
    responses((status = 200, body = Vec<MemberStandalone>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn save_standalone(
    State(st): State<AppState>,
    u: ApiUser,
    ApiJson(b): ApiJson<StandaloneIn>,
) -> AppResult<Json<Vec<MemberStandalone>>> {
    Ok(Json(
        costs::save_standalone_costs(&st, &u.audit(), &u.actor, &b.members).await?,
    ))
}
