//! Advisory pages: the list (with the office's upload), one advisory with its products,
//! remediations and warnings, the warnings list (a member's own; the office's with the
//! name-only ones to confirm), one warning with acknowledge, "erledigt" and "Maßnahme
//! anlegen", and the office's dashboard of open critical warnings.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_app::advisories::{self as svc, AdvisoryDetailOut, Mailer, WarningAction};
use verbund_domain::advisory::matcher::Reason;
use verbund_domain::advisory::records::{AdvisoryRecord, Warning};
use verbund_domain::authz::Permission;
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{AdvisoryId, AdvisoryWarningId};
use verbund_i18n::Lang;
use verbund_store::WarningFilter;

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

const REASON_ARGS: [&str; 8] = [
    "advisory", "object", "package", "version", "vendor", "product", "range", "platform",
];

/// A match reason in the reader's language.
pub fn reason_text(lang: Lang, r: &Reason) -> String {
    let args: Vec<(&'static str, String)> = REASON_ARGS
        .iter()
        .filter_map(|k| r.args.get(*k).map(|v| (*k, v.clone())))
        .collect();
    let base = lang.t_args(&r.key, &args);
    if r.args.contains_key("platform") {
        format!("{base} {}", lang.t_args("advisory-reason-platform", &args))
    } else {
        base
    }
}

/// Translation key of a code (`advisory-<kind>-<code>`).
pub fn key(kind: &str, code: &str) -> String {
    format!("advisory-{kind}-{code}")
}

#[derive(Template)]
#[template(path = "advisories_list.html")]
struct ListPage {
    l: Layout,
    items: Vec<AdvisoryRecord>,
    is_office: bool,
    errors: FormErrors,
    detail: String,
    imported: Option<String>,
}

/// `?imported=` (the outcome of an import, shown as a notice).
#[derive(Deserialize, Default)]
pub struct ListParams {
    #[serde(default)]
    imported: Option<String>,
}

async fn list_page(
    st: &AppState,
    cu: &CurrentUser,
    errors: FormErrors,
    detail: String,
    imported: Option<String>,
) -> AppResult<ListPage> {
    Ok(ListPage {
        l: Layout::user(cu, "advisory-list-title", "advisories"),
        items: svc::list(st, cu.actor()).await?,
        is_office: cu
            .actor()
            .check_office(Permission::ManageStructureSettings)
            .is_ok(),
        errors,
        detail,
        imported,
    })
}

/// The advisories the user may read.
pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    Ok(render(
        &list_page(&st, &cu, FormErrors::default(), String::new(), p.imported).await?,
    ))
}

async fn read_file(mut m: Multipart) -> AppResult<(String, Vec<u8>)> {
    let (mut name, mut bytes) = (String::new(), Vec::new());
    while let Some(field) = m
        .next_field()
        .await
        .map_err(|e| crate::extract::upload_error(e.status()))?
    {
        if field.name() == Some("file") {
            name = field.file_name().unwrap_or("upload.json").to_owned();
            bytes = field
                .bytes()
                .await
                .map_err(|e| crate::extract::upload_error(e.status()))?
                .to_vec();
        }
    }
    Ok((name, bytes))
}

async fn invalid(
    st: &AppState,
    cu: &CurrentUser,
    code: &'static str,
    detail: String,
) -> AppResult<Response> {
    Ok(render_invalid(
        &list_page(
            st,
            cu,
            ValidationErrors::single("file", code).into(),
            detail,
            None,
        )
        .await?,
    ))
}

/// Office: imports an uploaded CSAF document.
pub async fn upload(
    State(st): State<AppState>,
    cu: CurrentUser,
    req: axum::extract::Request,
) -> AppResult<Response> {
    use axum::extract::FromRequest;
    cu.actor()
        .check_office(Permission::ManageStructureSettings)?;
    let m = Multipart::from_request(req, &st)
        .await
        .map_err(|e| crate::extract::upload_error(e.status()))?;
    let (name, bytes) = read_file(m).await?;
    if bytes.is_empty() {
        return invalid(&st, &cu, "error-file-required", String::new()).await;
    }
    let (texts, site) = crate::api::advisory_mail_parts(&st);
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    match svc::import(&st, &cu.audit(), cu.actor(), &bytes, &name, Some(&mailer)).await {
        Ok(out) => Ok(match out.advisory_id {
            Some(id) => see_other(&format!("/advisories/{}?imported={}", id.0, out.outcome)),
            None => see_other(&format!("/advisories?imported={}", out.outcome)),
        }),
        Err(
            verbund_app::Error::BadInput { code, detail }
            | verbund_app::Error::TooLarge { code, detail },
        ) => invalid(&st, &cu, code, detail).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "advisory_detail.html")]
struct DetailPage {
    l: Layout,
    d: AdvisoryDetailOut,
    is_office: bool,
    imported: Option<String>,
}

impl DetailPage {
    fn reason(&self, r: &Reason) -> String {
        reason_text(self.l.lang, r)
    }
}

/// One advisory.
pub async fn detail(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let d = svc::detail(&st, cu.actor(), AdvisoryId(id)).await?;
    Ok(render(&DetailPage {
        l: Layout::user(&cu, "advisory-detail-title", "advisories"),
        d,
        is_office: cu
            .actor()
            .check_office(Permission::ManageStructureSettings)
            .is_ok(),
        imported: p.imported,
    }))
}

#[derive(Template)]
#[template(path = "advisory_warnings.html")]
struct WarningsPage {
    l: Layout,
    items: Vec<Warning>,
    heading: &'static str,
    is_office: bool,
}

/// The warnings the user sees: a member its own (pending first), the office all.
pub async fn warnings(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let items = svc::warnings(&st, cu.actor(), &WarningFilter::default()).await?;
    Ok(render(&WarningsPage {
        l: Layout::user(&cu, "advisory-warnings-title", "advisories"),
        items,
        heading: "advisory-warnings-title",
        is_office: cu
            .actor()
            .check_office(Permission::ManageStructureSettings)
            .is_ok(),
    }))
}

/// Office: open and acknowledged critical and high warnings across members.
pub async fn critical(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let items = svc::office_critical(&st, cu.actor()).await?;
    Ok(render(&WarningsPage {
        l: Layout::user(&cu, "advisory-critical-title", "advisories"),
        items,
        heading: "advisory-critical-title",
        is_office: true,
    }))
}

#[derive(Template)]
#[template(path = "advisory_warning.html")]
struct WarningPage {
    l: Layout,
    w: Warning,
    can_act: bool,
    can_measure: bool,
    is_office: bool,
}

impl WarningPage {
    fn reason(&self, r: &Reason) -> String {
        reason_text(self.l.lang, r)
    }
}

/// One warning with its actions.
pub async fn warning(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let w = svc::warning(&st, cu.actor(), AdvisoryWarningId(id)).await?;
    let a = cu.actor();
    Ok(render(&WarningPage {
        l: Layout::user(&cu, "advisory-warning-title", "advisories"),
        can_act: a.check(Permission::EditStructure, w.org_id).is_ok(),
        can_measure: a.check(Permission::ManageAssessments, w.org_id).is_ok(),
        is_office: a.check_office(Permission::ManageStructureSettings).is_ok(),
        w,
    }))
}

async fn act(
    st: &AppState,
    cu: &CurrentUser,
    id: i64,
    action: WarningAction,
) -> AppResult<Response> {
    let (texts, site) = crate::api::advisory_mail_parts(st);
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    svc::act(
        st,
        &cu.audit(),
        cu.actor(),
        AdvisoryWarningId(id),
        action,
        Some(&mailer),
    )
    .await?;
    Ok(see_other(&format!("/advisories/warnings/{id}")))
}

/// Acknowledges a warning.
pub async fn acknowledge(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    act(&st, &cu, id, WarningAction::Acknowledge).await
}

/// Marks a warning done.
pub async fn done(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    act(&st, &cu, id, WarningAction::Done).await
}

/// Office: confirms a name-only warning.
pub async fn confirm(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    act(&st, &cu, id, WarningAction::Confirm).await
}

/// Makes a measure from a warning and opens it.
pub async fn measure(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let m = svc::create_measure(&st, &cu.audit(), cu.actor(), AdvisoryWarningId(id)).await?;
    Ok(see_other(&format!("/measures/{}", m.0)))
}
