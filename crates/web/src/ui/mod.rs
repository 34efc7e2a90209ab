//! The server-rendered UI. Every text comes from the translation files; every form carries the
//! CSRF token (checked centrally in [`crate::context::ui_middleware`]).

pub mod advisories;
mod assessments;
mod audit;
mod auth;
mod branding;
mod catalog_texts;
pub(crate) mod catalogs;
mod check;
mod cost_edit;
mod cost_issue;
mod cost_keys;
mod cost_statements;
mod costs;
pub mod csaf_providers;
mod dashboard;
mod heatmap;
mod jobs;
mod key_figures;
pub(crate) mod measures;
mod modelling;
mod orgs;
pub mod pact_files;
pub mod pact_map;
pub mod pacts;
mod password_reset;
mod profile;
mod qr;
pub mod risk_threats;
pub mod risks;
mod settings;
pub(crate) mod structure;
mod structure_detail;
mod structure_settings;
mod structure_svg;
mod trend;
mod users;

use askama::Template;
use axum::Form;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use verbund_domain::authz::Permission;
use verbund_domain::validation::{FieldError, ValidationErrors};

use crate::context::{CurrentUser, LANG_COOKIE, UiCtx};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::Routes;

/// Every UI route.
pub fn routes() -> Routes {
    Routes::default()
        .get("/static/{file}", static_file)
        .get("/branding/logo", branding::federation_logo)
        .post("/lang", set_lang)
        .get("/login", auth::login_page)
        .post("/login", auth::login)
        .get("/login/mfa", auth::mfa_page)
        .post("/login/mfa", auth::mfa)
        .post("/logout", auth::logout)
        .get("/", dashboard::show)
        .get("/orgs", orgs::list)
        .get("/orgs/new", orgs::new_form)
        .post("/orgs", orgs::create)
        .get("/orgs/{id}", orgs::show)
        .get("/orgs/{id}/edit", orgs::edit_form)
        .post("/orgs/{id}", orgs::update)
        .post("/orgs/{id}/memberships", orgs::add_membership)
        .get("/orgs/{id}/logo", branding::member_logo)
        .post("/orgs/{id}/logo", branding::upload_member_logo)
        .post("/orgs/{id}/logo/delete", branding::delete_member_logo)
        .post("/memberships/{id}/delete", orgs::delete_membership)
        .get("/key-figures", key_figures::list)
        .post("/orgs/{id}/key-figures", key_figures::propose)
        .post("/key-figures/{id}/accept", key_figures::accept)
        .post("/key-figures/{id}/reject", key_figures::reject)
        .get("/users", users::list)
        .get("/users/new", users::new_form)
        .post("/users", users::create)
        .get("/users/{id}", users::show)
        .post("/users/{id}/roles", users::grant)
        // Before the status route: the isolation controls deactivate the user there.
        .post("/users/{id}/reset-link", password_reset::issue)
        .post("/users/{id}/status", users::set_status)
        .get("/reset/{token}", password_reset::form)
        .post("/reset/{token}", password_reset::submit)
        .post("/roles/{id}/delete", users::revoke)
        .get("/audit", audit::list)
        .get("/audit/export", audit::export)
        .get("/profile", profile::show)
        .post("/profile/password", profile::change_password)
        .post("/profile/language", profile::set_language)
        .post("/profile/mfa/start", profile::mfa_start)
        .post("/profile/mfa/enable", profile::mfa_enable)
        .post("/profile/mfa/disable", profile::mfa_disable)
        .post("/profile/tokens", profile::create_token)
        .post("/profile/tokens/{id}/revoke", profile::revoke_token)
        .post("/profile/sessions/revoke", profile::logout_everywhere)
        .post(
            "/profile/invitations/{id}/accept",
            profile::accept_invitation,
        )
        .post(
            "/profile/invitations/{id}/decline",
            profile::decline_invitation,
        )
        .get("/costs", costs::show)
        .post("/costs/lines", costs::add_line)
        .get("/costs/lines/{id}/edit", cost_edit::edit_line)
        .post("/costs/lines/{id}", cost_edit::update_line)
        .post("/costs/lines/{id}/delete", costs::delete_line)
        .get("/costs/standalone", cost_edit::standalone)
        .post("/costs/standalone", cost_edit::save_standalone)
        .post("/costs/copy", costs::copy)
        .post("/costs/subsidies", costs::add_subsidy)
        .post("/costs/subsidies/{id}/delete", costs::delete_subsidy)
        .get("/costs/keys/new", cost_keys::new_key)
        .post("/costs/keys", cost_keys::create_key)
        .post("/costs/keys/preview", cost_keys::preview)
        .get("/costs/keys/{id}/edit", cost_keys::edit_key)
        .post("/costs/keys/{id}", cost_keys::update_key)
        .get("/costs/preview", cost_statements::preview)
        .get("/costs/compare", cost_statements::compare)
        .get("/costs/statements/new", cost_issue::confirm)
        .post("/costs/statements", cost_issue::issue)
        .get("/costs/statements/{id}", cost_statements::statement)
        .get("/costs/statements/{id}/pdf", cost_statements::statement_pdf)
        .get(
            "/costs/statements/{id}/xlsx",
            cost_statements::statement_xlsx,
        )
        .get("/costs/statements/{id}/zip", cost_issue::statement_zip)
        .get("/catalogs", catalogs::list)
        .post_with_limit("/catalogs", catalogs::upload, crate::extract::IMPORT_LIMIT)
        .get("/catalogs/{id}", catalogs::show)
        .post("/catalogs/{id}/start", catalogs::start_all)
        .get("/assessments", assessments::list)
        .get("/assessments/{id}", assessments::show)
        .post("/assessments/{id}/bulk", assessments::bulk)
        .post(
            "/assessments/{id}/not-applicable",
            assessments::mark_topic_not_applicable,
        )
        .post(
            "/assessment-changes/{id}/undo",
            assessments::undo_group_change,
        )
        .post("/assessments/{id}/snapshots", assessments::snapshot)
        .get("/assessments/{id}/compare", assessments::compare)
        .get("/assessments/{id}/export", assessments::export)
        .post_with_limit(
            "/assessments/{id}/import",
            assessments::import,
            crate::extract::IMPORT_LIMIT,
        )
        .get("/answers/{id}", assessments::answer_form)
        .post("/answers/{id}", assessments::save_answer)
        .post_with_limit(
            "/answers/{id}/evidence",
            assessments::upload_evidence,
            verbund_app::assessments::EVIDENCE_LIMIT + 64 * 1024,
        )
        .get("/evidence/{id}", assessments::evidence)
        .post("/evidence/{id}/delete", assessments::delete_evidence)
        .get("/assessments/{id}/migration", assessments::migration)
        .post("/assessments/{id}/migrate", assessments::migrate)
        .get("/heatmap", heatmap::show)
        .get("/heatmap/report.pdf", heatmap::report_pdf)
        .get("/heatmap/report.xlsx", heatmap::report_xlsx)
        .get("/settings", settings::show)
        .post("/settings", settings::save)
        .post("/settings/logo", branding::upload_federation_logo)
        .post("/settings/logo/delete", branding::delete_federation_logo)
        .get("/structure", structure::list)
        .get("/structure/new", structure::new_form)
        .post("/structure/objects", structure::create)
        .get("/structure/objects/{id}", structure_detail::show)
        .get("/structure/objects/{id}/edit", structure::edit_form)
        .post("/structure/objects/{id}", structure::update)
        .post("/structure/objects/{id}/delete", structure::delete)
        .post("/structure/objects/{id}/needs", structure_detail::set_need)
        .post("/structure/objects/{id}/links", structure_detail::add_link)
        .post(
            "/structure/links/{id}/delete",
            structure_detail::delete_link,
        )
        .get("/orgs/{id}/structure/export", structure::export)
        .get("/orgs/{id}/structure/report", structure::report)
        .post_with_limit(
            "/orgs/{id}/structure/import",
            structure::import,
            crate::extract::IMPORT_LIMIT,
        )
        .get("/orgs/{id}/structure/dependencies", structure::deps)
        .get("/structure/providers", structure::providers)
        .post("/structure/objects/{id}/modules", modelling::assign)
        .post("/structure/modules/{id}/delete", modelling::unassign)
        .get("/orgs/{id}/structure/modelling", modelling::modelling)
        .get("/structure/coverage", modelling::coverage)
        .get("/structure/module-rules", modelling::rules)
        .post("/structure/module-rules", modelling::save_rules)
        .get("/orgs/{id}/check", check::page)
        .get("/check/rows/{id}", check::answer_form)
        .post("/check/rows/{id}", check::save)
        .get("/check/comparison", check::comparison)
        .get("/structure/settings", structure_settings::show)
        .post("/structure/settings", structure_settings::save)
        .get("/measures", measures::list)
        .get("/measures/board", measures::board)
        .get("/orgs/{id}/measures/plan", measures::plan)
        .get("/measures/new", measures::new_form)
        .post("/measures", measures::create)
        .get("/measures/{id}", measures::show)
        .post("/measures/{id}", measures::update)
        .post("/measures/{id}/status", measures::set_status)
        .post("/measures/{id}/notes", measures::add_note)
        .post("/measures/{id}/objects", measures::set_objects)
        .post("/measures/{id}/delete", measures::delete)
        .post("/answers/{id}/measure", measures::from_answer)
        .get("/assessments/{id}/measures/bulk", measures::bulk_preview)
        .post("/assessments/{id}/measures/bulk", measures::bulk_create)
        .get("/measure-templates", measures::templates)
        .post("/measure-templates", measures::create_template)
        .get("/measure-templates/{id}", measures::template)
        .post("/measure-templates/{id}/push", measures::push_template)
        .get("/advisories", advisories::list)
        .post_with_limit(
            "/advisories",
            advisories::upload,
            crate::extract::IMPORT_LIMIT,
        )
        .get("/advisories/providers", csaf_providers::list)
        .post("/advisories/providers", csaf_providers::create)
        .get("/advisories/providers/{id}", csaf_providers::detail)
        .post("/advisories/providers/{id}/run", csaf_providers::run)
        .post("/advisories/providers/{id}/delete", csaf_providers::delete)
        .get("/advisories/warnings", advisories::warnings)
        .get("/advisories/critical", advisories::critical)
        .get("/advisories/warnings/{id}", advisories::warning)
        .post(
            "/advisories/warnings/{id}/acknowledge",
            advisories::acknowledge,
        )
        .post("/advisories/warnings/{id}/done", advisories::done)
        .post("/advisories/warnings/{id}/confirm", advisories::confirm)
        .post("/advisories/warnings/{id}/measure", advisories::measure)
        .get("/advisories/{id}", advisories::detail)
        .get("/risks", risks::register)
        .get("/risks/federation", risks::federation)
        .get("/risks/matrix", risks::matrix)
        .get("/risks/threats", risk_threats::list)
        .post("/risks/threats", risk_threats::create)
        .post("/risks/matrix", risks::save_matrix)
        .get("/structure/objects/{id}/risks", risks::object)
        .post("/structure/objects/{id}/risks", risks::create)
        .get("/risks/{id}", risks::detail)
        .post("/risks/{id}", risks::update)
        .post("/risks/{id}/accept", risks::accept)
        .post("/risks/{id}/delete", risks::delete)
        .post("/risks/{id}/measures", risks::link_measure)
        .post("/risks/{id}/measures/unlink", risks::unlink_measure)
        .get("/pacts", pacts::list)
        .post("/pacts", pacts::create)
        .get("/pacts/{id}", pacts::detail)
        .post("/pacts/{id}/members", pacts::set_member)
        .post("/pacts/{id}/crises", pacts::declare)
        .get("/pacts/{id}/alarm-chain", pacts::alarm_chain)
        .get("/pacts/{id}/map", pact_map::page)
        .get("/orgs/{id}/pact-handbook", pact_files::handbook)
        .get("/pact-crises/{id}/settlement", pact_files::settlement)
        .get("/orgs/{id}/pact-registry", pacts::registry)
        .post("/orgs/{id}/pact-resources", pacts::create_resource)
        .post("/pact-resources/{id}/confirm", pacts::confirm_resource)
        .post("/pact-resources/{id}/delete", pacts::delete_resource)
        .post("/orgs/{id}/pact-contacts", pacts::create_contact)
        .post("/pact-contacts/{id}/delete", pacts::delete_contact)
        .get("/pact-crises/{id}", pacts::board)
        .get("/pact-crises/{id}/events", pacts::events)
        .post("/pact-crises/{id}/entries", pacts::add_entry)
        .post("/pact-crises/{id}/requests", pacts::add_request)
        .post("/pact-crises/{id}/close", pacts::close)
        .get("/pact-requests/{id}", pacts::request)
        .post("/pact-requests/{id}/loans", pacts::ask_loan)
        .post("/pact-loans/{id}/decision", pacts::decide_loan)
        .get("/jobs", jobs::show)
        .post("/jobs/settings", jobs::save_settings)
        .post("/profile/calendar", profile::create_calendar)
        .post("/profile/calendar/revoke", profile::revoke_calendar)
        .get("/calendar/{token}", jobs::calendar_feed)
}

/// A whole number typed into a form ("10.840" with German thousands dots); empty is `None`,
/// anything else that is not a number an `error-number` on `field`.
pub fn form_count(e: &mut ValidationErrors, field: &str, value: &str) -> Option<i64> {
    let v = value.trim().replace('.', "");
    if v.is_empty() {
        return None;
    }
    e.check(field, v.parse::<i64>().map_err(|_| "error-number"))
}

/// The logged-in user as the page header shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    /// Display name.
    pub name: String,
    /// Show the users menu.
    pub can_users: bool,
    /// Show the audit menu.
    pub can_audit: bool,
    /// Show the costs menu.
    pub can_costs: bool,
    /// Show the settings menu (office).
    pub can_settings: bool,
    /// Show the assessments menu.
    pub can_assess: bool,
    /// Show the structure-analysis menu.
    pub can_structure: bool,
}

/// The federation in the page header: its name and, if uploaded, its logo.
#[derive(Debug, Clone)]
pub struct Brand {
    /// The federation's name (the logo's text alternative).
    pub name: String,
    /// The logo's versioned URL.
    pub logo_url: Option<String>,
}

impl Brand {
    fn of(b: &verbund_store::Branding) -> Option<Self> {
        b.federation_name.as_ref().map(|name| Self {
            name: name.clone(),
            logo_url: b
                .logo_sha256
                .as_ref()
                .map(|h| format!("/branding/logo?v={}", h.get(..16).unwrap_or(h))),
        })
    }
}

impl NavUser {
    /// The menu a signed-in user's roles open.
    fn of(session: &crate::context::SessionCtx) -> Self {
        let a = &session.actor;
        Self {
            name: session.user.display_name.clone(),
            can_users: !a.scope(Permission::ReadUsers).is_empty(),
            can_audit: !a.scope(Permission::ReadAudit).is_empty(),
            can_costs: !a.scope(Permission::ReadCosts).is_empty(),
            can_settings: a.check_office(Permission::ReadCosts).is_ok(),
            can_assess: !a.scope(Permission::ReadAssessments).is_empty(),
            can_structure: !a.scope(Permission::ReadStructure).is_empty(),
        }
    }
}

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Language.
    pub lang: Lang,
    /// CSRF token for forms.
    pub csrf: String,
    /// Page title.
    pub title: String,
    /// Logged-in user, if any.
    pub user: Option<NavUser>,
    /// Active menu entry.
    pub active: &'static str,
    /// The federation beside the product name (signed-in users only).
    pub brand: Option<Brand>,
}

impl Layout {
    /// Frame for a page of a logged-in user; `title_key` is a translation key.
    pub fn user(cu: &CurrentUser, title_key: &str, active: &'static str) -> Self {
        Self {
            lang: cu.ctx.lang,
            csrf: cu.ctx.csrf.clone(),
            title: cu.ctx.lang.t(title_key),
            user: Some(NavUser::of(&cu.session)),
            active,
            brand: Brand::of(&cu.session.branding),
        }
    }

    /// Frame for a public page (login, errors).
    pub fn public(ctx: &UiCtx, title_key: &str) -> Self {
        Self {
            lang: ctx.lang,
            csrf: ctx.csrf.clone(),
            title: ctx.lang.t(title_key),
            user: None,
            active: "",
            brand: None,
        }
    }
}

/// Field errors for a form, looked up by field name in templates.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    /// The error code of `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code.as_str())
    }

    /// Whether there is any error.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

impl From<ValidationErrors> for FormErrors {
    fn from(v: ValidationErrors) -> Self {
        Self(v.0)
    }
}

/// Renders a template to an HTML response.
pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::Internal(format!("template: {e}")).into_response(),
    }
}

/// Renders a form again with its errors (HTTP 422, so tests and tools see the failure).
pub fn render_invalid<T: Template>(t: &T) -> Response {
    let mut r = render(t);
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    r
}

/// `303 See Other` after a successful form post.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    message: String,
}

/// The friendly error page that replaces any error response in the UI.
pub fn error_page(
    ctx: &UiCtx,
    status: StatusCode,
    message_key: &str,
    args: &[(&'static str, String)],
    retry_after: Option<HeaderValue>,
) -> Response {
    let mut l = Layout::public(ctx, "error-title");
    // Signed in: the whole frame, so the way on is the menu as on every other page.
    if let Some(s) = ctx.user() {
        l.user = Some(NavUser::of(s));
        l.brand = Brand::of(&s.branding);
    }
    let page = ErrorPage {
        l,
        status: status.as_u16(),
        message: ctx.lang.t_args(message_key, args),
    };
    let mut res = render(&page);
    *res.status_mut() = status;
    if let Some(v) = retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

const HTMX: &[u8] = include_bytes!("../../static/htmx.min.js");
const CSS: &[u8] = include_bytes!("../../static/app.css");
const ANSWERS_JS: &[u8] = include_bytes!("../../static/answers.js");
const PACT_BOARD_JS: &[u8] = include_bytes!("../../static/pact-board.js");
const FAVICON: &[u8] = include_bytes!("../../static/favicon.svg");

/// Static assets, compiled into the binary so it runs from anywhere.
async fn static_file(Path(file): Path<String>) -> Response {
    let (body, ctype) = match file.as_str() {
        "htmx.min.js" => (HTMX, "text/javascript; charset=utf-8"),
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "answers.js" => (ANSWERS_JS, "text/javascript; charset=utf-8"),
        "pact-board.js" => (PACT_BOARD_JS, "text/javascript; charset=utf-8"),
        "favicon.svg" => (FAVICON, "image/svg+xml"),
        _ => return AppError::NotFound.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct LangForm {
    lang: String,
}

/// Switches the language of an anonymous visitor (logged-in users set it in their profile).
async fn set_lang(ctx: UiCtx, Form(f): Form<LangForm>) -> Response {
    let lang = Lang::parse(&f.lang).unwrap_or_default();
    let c = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .build();
    let mut r = see_other(if ctx.user().is_some() {
        "/profile"
    } else {
        "/login"
    });
    crate::context::append_cookie(&mut r, c);
    r
}

pub use verbund_domain::localtime::fmt_ms;

/// A whole number with German thousands separators (`11.000`), for templates.
pub fn num(n: impl std::borrow::Borrow<i64>) -> String {
    verbund_domain::comparison::group_thousands(*n.borrow())
}
