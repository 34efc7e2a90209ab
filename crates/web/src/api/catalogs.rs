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
use crate::error::{AppResult, ErrorBody};
use verbund_app::catalogs::{self, ImportFormat, Imported};

/// `?format=auto|ciso|oscal&file_name=…`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Importer; default `auto`.
    #[serde(default)]
    #[param(value_type = Option<ImportFormat>, inline, nullable = false)]
    pub format: ImportFormat,
    /// Name of the uploaded file, used in error messages.
    #[param(nullable = false)]
    pub file_name: Option<String>,
}

/// A catalog revision with its nodes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CatalogOut {
    /// The revision.
    #[serde(flatten)]
    pub catalog: CatalogSummary,
    /// All nodes in document order.
    #[schema(value_type = Vec<Object>)]
    pub nodes: Vec<CatalogNode>,
}

/// Imports a catalog file sent as the request body (CISO Assistant YAML or OSCAL JSON, up to 32 MiB).
/// A bad file answers 400 with the file, line/column or path and what was expected; nothing is stored.
#[utoipa::path(post, path = "/catalogs", operation_id = "import_catalog", params(ImportQuery),
    request_body(content = super::Binary, content_type = "application/octet-stream", description = "The catalog file (CISO Assistant YAML or OSCAL JSON)."), tag = "catalogs",
    responses((status = 201, body = Imported, description = "A new catalog revision."), (status = 200, body = Imported, description = "Identical content was imported before; nothing was stored."),
        (status = 400, body = ErrorBody, description = "The file cannot be read as a catalog (`error-import`, with file, line/column or path in `detail`), or the query is malformed."),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
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
#[utoipa::path(get, path = "/catalogs", operation_id = "list_catalogs", tag = "catalogs", responses((status = 200, body = Vec<CatalogSummary>)))]
pub async fn list(State(st): State<AppState>, _u: ApiUser) -> AppResult<Json<Vec<CatalogSummary>>> {
    Ok(Json(catalogs::list(&st).await?))
}

/// One catalog revision with all nodes.
#[utoipa::path(get, path = "/catalogs/{id}", operation_id = "get_catalog", params(("id" = i64, Path)), tag = "catalogs", responses((status = 200, body = CatalogOut)))]
pub async fn get_one(
    State(st): State<AppState>,
    _u: ApiUser,
    IdPath(id): IdPath,
) -> AppResult<Json<CatalogOut>> {
    let (catalog, nodes) = catalogs::get(&st, CatalogId(id)).await?;
    Ok(Json(CatalogOut { catalog, nodes }))
}
