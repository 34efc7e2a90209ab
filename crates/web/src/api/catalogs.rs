//! Requirement catalogs: import (office) and read (everyone logged in).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use verbund_domain::CatalogId;
use verbund_domain::catalog::CatalogNode;
use verbund_store::CatalogSummary;

use super::{ApiQuery, IdPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::AppResult;
use verbund_app::catalogs::{self, ImportFormat, Imported};

/// `?format=auto|ciso|oscal&file_name=…`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// Importer; default `auto`.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub format: ImportFormat,
    /// Name of the uploaded file, used in error messages.
    pub file_name: Option<String>,
}

/// A catalog revision with its nodes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogOut {
    /// The revision.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub catalog: CatalogSummary,
    /// All nodes in document order.
    #[schema(value_type = Vec<Object>)]
    pub nodes: Vec<CatalogNode>,
}

/// Imports a catalog file sent as the request body (CISO Assistant YAML or OSCAL JSON, up to 32 MiB).
/// A bad file answers 400 with the file, line/column or path and what was expected; nothing is stored.
#[utoipa::path(post, path = "/catalogs", params(ImportQuery), request_body(content = String, content_type = "application/octet-stream"), tag = "catalogs",
    responses((status = 201, body = Imported), (status = 200, body = Imported, description = "identical content was imported before"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn import(
    State(st): State<AppState>,
    u: ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> AppResult<(StatusCode, Json<Imported>)> {
    let name = q.file_name.unwrap_or_else(|| "upload".into());
    let imported = catalogs::import(&st, &u.audit(), &u.actor, &body, &name, q.format).await?;
    let status = if imported.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(imported)))
}

/// Catalog revisions.
#[utoipa::path(get, path = "/catalogs", tag = "catalogs", responses((status = 200, body = Vec<Object>)))]
pub async fn list(State(st): State<AppState>, _u: ApiUser) -> AppResult<Json<Vec<CatalogSummary>>> {
    Ok(Json(catalogs::list(&st).await?))
}

/// One catalog revision with all nodes.
#[utoipa::path(get, path = "/catalogs/{id}", params(("id" = i64, Path)), tag = "catalogs", responses((status = 200, body = CatalogOut), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(
    State(st): State<AppState>,
    _u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<CatalogOut>> {
    let (catalog, nodes) = catalogs::get(&st, CatalogId(id)).await?;
    Ok(Json(CatalogOut { catalog, nodes }))
}
