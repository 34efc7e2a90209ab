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
        Ok(i) => Ok(see_other(&match (&i.catalog, &i.risk_library) {
            (Some(c), _) => format!("/catalogs/{}?imported=1", c.id),
            (None, Some(r)) => format!(
                "/risks/threats?imported={}&controls={}",
                r.threats_new + r.threats_updated,
                r.controls_new + r.controls_updated
            ),
            (None, None) => "/catalogs".to_owned(),
        })),
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

/// Requirements per page of the catalog view (the BSI module groups have 1,600 and more).
const PER_PAGE: usize = 100;

/// A row of the requirement table: a group heading or a requirement.
pub enum CatalogRow {
    Group(String),
    Requirement(Box<CatalogNode>),
}

#[derive(Template)]
#[template(path = "catalog_detail.html")]
struct CatalogPage {
    l: Layout,
    c: CatalogSummary,
    rows: Vec<CatalogRow>,
    q: String,
    page: verbund_domain::page::Page<()>,
    pager_extra: String,
    can_start: bool,
    notice: Option<String>,
    /// The confirmation of "start for all members": its text, and whether anything would be
    /// created.
    confirm: Option<(String, bool)>,
}

#[derive(serde::Deserialize, Default)]
pub struct CatalogParams {
    started: Option<usize>,
    imported: Option<u8>,
    confirm: Option<String>,
    q: Option<String>,
    page: Option<u32>,
}

/// The level of a requirement as the catalog names it: BSI's B/S/H become their words
/// (Anforderungsstufe), other catalogs' groups (CIS IG1…) stay as they are.
pub fn level(group: &str, lang: &crate::i18n::Lang) -> String {
    match group {
        "B" => lang.t("level-basis"),
        "S" => lang.t("level-standard"),
        "H" => lang.t("level-high"),
        other => other.to_owned(),
    }
}

/// The requirements matching `q` (reference, title or text, ignoring case), on page `page`,
/// each preceded by its group's heading where the group changes.
fn page_rows(nodes: Vec<CatalogNode>, q: &str, page: u32) -> (Vec<CatalogRow>, usize) {
    let q = q.trim().to_lowercase();
    let matches = |n: &CatalogNode| {
        q.is_empty()
            || [&n.ref_id, &n.name, &n.description]
                .into_iter()
                .flatten()
                .any(|t| t.to_lowercase().contains(&q))
    };
    let skip = (page.max(1) as usize - 1) * PER_PAGE;
    let (mut rows, mut total, mut group, mut shown_group) = (Vec::new(), 0, None, None);
    for n in nodes {
        if n.depth == 1 {
            let title = [n.ref_id.as_deref(), n.name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            group = Some(title);
            continue;
        }
        if !n.assessable || !matches(&n) {
            continue;
        }
        total += 1;
        if total <= skip || total > skip + PER_PAGE {
            continue;
        }
        if group.is_some() && shown_group != group {
            rows.push(CatalogRow::Group(group.clone().unwrap_or_default()));
            shown_group = group.clone();
        }
        rows.push(CatalogRow::Requirement(Box::new(n)));
    }
    (rows, total)
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    axum::extract::Query(p): axum::extract::Query<CatalogParams>,
) -> AppResult<Response> {
    let (c, nodes) = catalogs::get(&st, CatalogId(id)).await?;
    // Where the catalog carries texts in the reader's language (e.g. English next to German),
    // the reader sees those.
    let lang_code = cu.ctx.lang.code();
    let nodes: Vec<CatalogNode> = if c.locale == lang_code {
        nodes
    } else {
        nodes.into_iter().map(|n| n.localized(lang_code)).collect()
    };
    let mut l = Layout::user(&cu, "catalog-title", "catalogs");
    l.title = c.name.clone();
    let can_start = cu
        .actor()
        .check_office(Permission::ManageAssessments)
        .is_ok();
    let notice = match (p.started, p.imported) {
        (Some(n), _) => Some(l.lang.t_count("catalog-started", n as i64)),
        (None, Some(_)) => Some(l.lang.t_args(
            "catalog-import-done",
            &[
                ("name", c.name.clone()),
                ("revision", c.revision.to_string()),
                ("count", c.assessable_count.to_string()),
            ],
        )),
        _ => None,
    };
    let confirm = match p.confirm.as_deref() {
        Some("start") if can_start => {
            let (create, skip) =
                verbund_app::assessments::start_preview(&st, cu.actor(), CatalogId(id)).await?;
            let mut text = l.lang.t_count("catalog-start-confirm", create as i64);
            if skip > 0 {
                text = format!(
                    "{text} {}",
                    l.lang.t_count("catalog-start-skipped", skip as i64)
                );
            }
            Some((text, create > 0))
        }
        _ => None,
    };
    let q = p.q.unwrap_or_default();
    let page_no = p.page.unwrap_or(1).max(1);
    let (rows, total) = page_rows(nodes, &q, page_no);
    Ok(render(&CatalogPage {
        l,
        pager_extra: format!(
            "&q={}",
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        ),
        page: verbund_domain::page::Page {
            items: vec![],
            page: page_no,
            per_page: PER_PAGE as u32,
            total: total as i64,
        },
        q,
        c,
        rows,
        can_start,
        notice,
        confirm,
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
