//! Catalog pages: list and upload (office), one revision with its requirements, and starting
//! assessments for every member from it.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use verbund_domain::CatalogId;
use verbund_domain::authz::Permission;
use verbund_domain::catalog::CatalogNode;
use verbund_domain::validation::ValidationErrors;
use verbund_store::CatalogSummary;

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;
use verbund_app::assessments::StartIn;
use verbund_app::catalogs::{self, ImportFormat};

#[derive(Template)]
#[template(path = "catalogs.html")]
struct CatalogsPage {
    l: Layout,
    catalogs: Vec<CatalogSummary>,
    can_import: bool,
    errors: FormErrors,
    detail: String,
}

async fn page(
    st: &AppState,
    cu: &CurrentUser,
    errors: FormErrors,
    detail: String,
) -> AppResult<CatalogsPage> {
    Ok(CatalogsPage {
        l: Layout::user(cu, "catalogs-title", "catalogs"),
        catalogs: catalogs::list(st).await?,
        can_import: cu
            .actor()
            .check_office(Permission::ManageFederation)
            .is_ok(),
        errors,
        detail,
    })
}

pub async fn list(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    Ok(render(
        &page(&st, &cu, FormErrors::default(), String::new()).await?,
    ))
}

/// Reads the multipart upload: the file and the chosen importer.
async fn read_upload(mut m: Multipart) -> AppResult<(String, Vec<u8>, ImportFormat)> {
    let (mut name, mut bytes, mut format) = (String::new(), Vec::new(), ImportFormat::Auto);
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| crate::extract::upload_error(e.status()))?
    {
        match field.name() {
            Some("file") => {
                name = field.file_name().unwrap_or("upload").to_owned();
                bytes = field
                    .bytes()
                    .await
                    .map_err(|e| crate::extract::upload_error(e.status()))?
                    .to_vec();
            }
            Some("format") => {
                format = match field.text().await.unwrap_or_default().as_str() {
                    "ciso" => ImportFormat::Ciso,
                    "oscal" => ImportFormat::Oscal,
                    _ => ImportFormat::Auto,
                }
            }
            _ => {}
        }
    }
    Ok((name, bytes, format))
}

pub async fn upload(
    State(st): State<AppState>,
    cu: CurrentUser,
    req: axum::extract::Request,
) -> AppResult<Response> {
    use axum::extract::FromRequest;
    // Authorize before reading the upload: members are refused whatever they send.
    cu.actor().check_office(Permission::ManageFederation)?;
    let m = Multipart::from_request(req, &st)
        .await
        .map_err(|e| crate::extract::upload_error(e.status()))?;
    let (name, bytes, format) = read_upload(m).await?;
    if bytes.is_empty() {
        return Ok(render_invalid(
            &page(
                &st,
                &cu,
                ValidationErrors::single("file", "error-file-required").into(),
                String::new(),
            )
            .await?,
        ));
    }
    match catalogs::import(&st, &cu.audit(), cu.actor(), &bytes, &name, format).await {
        Ok(i) => Ok(see_other(&format!("/catalogs/{}", i.catalog.id))),
        Err(verbund_app::Error::BadInput { code, detail }) => Ok(render_invalid(
            &page(
                &st,
                &cu,
                ValidationErrors::single("file", code).into(),
                detail,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "catalog_detail.html")]
struct CatalogPage {
    l: Layout,
    c: CatalogSummary,
    nodes: Vec<CatalogNode>,
    can_start: bool,
    started: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct StartedParam {
    started: Option<String>,
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::extract::Query(q): axum::extract::Query<StartedParam>,
) -> AppResult<Response> {
    let (c, nodes) = catalogs::get(&st, CatalogId(id)).await?;
    let mut l = Layout::user(&cu, "catalog-title", "catalogs");
    l.title = c.name.clone();
    let can_start = cu
        .actor()
        .check_office(Permission::ManageAssessments)
        .is_ok();
    let started = q.started.map(|n| {
        l.lang
            .t_args("catalog-started", &[("count", n.to_string())])
    });
    Ok(render(&CatalogPage {
        l,
        c,
        nodes,
        can_start,
        started,
    }))
}

pub async fn start_all(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let created = verbund_app::assessments::start(
        &st,
        &cu.audit(),
        cu.actor(),
        &StartIn {
            catalog_id: CatalogId(id),
            orgs: None,
        },
    )
    .await?;
    Ok(see_other(&format!(
        "/catalogs/{id}?started={}",
        created.len()
    )))
}
