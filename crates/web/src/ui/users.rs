//! Users and their roles.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use verbund_domain::authz::{Actor, Permission, Role};
use verbund_domain::page::{Page, PageRequest};
use verbund_domain::user::{User, UserDraft};
use verbund_domain::validation::ValidationErrors;
use verbund_domain::{OrgId, RoleAssignmentId, UserId};
use verbund_store::UserGrant;

use super::{FormErrors, Layout, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::extract::IdPath;
use verbund_app::users::Created;
use verbund_app::{invitations, orgs, users};

#[derive(Deserialize, Default)]
pub struct ListParams {
    q: Option<String>,
    page: Option<u32>,
    /// Set after adding a user by invitation: shows what happens next.
    invited: Option<String>,
}

/// An invitation the actor's members sent, as listed.
pub struct SentRow {
    pub email: String,
    pub org_name: String,
    pub role: &'static str,
    pub status: &'static str,
    pub sent: String,
}

#[derive(Template)]
#[template(path = "users_list.html")]
struct ListPage {
    l: Layout,
    q: String,
    pager_extra: String,
    page: Page<()>,
    /// The page's users with their roles (in the actor's reach).
    rows: Vec<(User, Vec<verbund_store::UserGrant>)>,
    can_create: bool,
    invited: bool,
    sent: Vec<SentRow>,
}

pub async fn list(
    State(st): State<AppState>,
    cu: CurrentUser,
    Query(p): Query<ListParams>,
) -> AppResult<Response> {
    let page = users::list_users(
        &st,
        cu.actor(),
        p.q.as_deref(),
        PageRequest::new(p.page, None),
    )
    .await?;
    let can_create = !cu.actor().scope(Permission::ManageUsers).is_empty();
    let rows = verbund_app::member_page::with_roles(&st, cu.actor(), page.items).await?;
    let page = Page {
        items: vec![],
        page: page.page,
        per_page: page.per_page,
        total: page.total,
    };
    let sent = invitations::sent(&st, cu.actor())
        .await?
        .into_iter()
        .map(|i| SentRow {
            email: i.email,
            org_name: i.org_name,
            role: i.role.code(),
            status: i.status.code(),
            sent: super::fmt_ms(i.created_at_ms),
        })
        .collect();
    Ok(render(&ListPage {
        l: Layout::user(&cu, "users-title", "users"),
        pager_extra: format!(
            "&q={}",
            form_urlencoded::byte_serialize(p.q.as_deref().unwrap_or("").as_bytes())
                .collect::<String>()
        ),
        q: p.q.unwrap_or_default(),
        page,
        rows,
        can_create,
        invited: p.invited.is_some(),
        sent,
    }))
}

/// An organisation to choose.
pub struct OrgOption {
    pub id: OrgId,
    pub name: String,
}

/// A role to choose.
pub struct RoleOption {
    pub code: &'static str,
}

async fn org_options(st: &AppState, actor: &Actor) -> AppResult<Vec<OrgOption>> {
    Ok(orgs::choices(st, actor, Permission::ManageUsers)
        .await?
        .into_iter()
        .map(|o| OrgOption {
            id: o.id,
            name: o.name,
        })
        .collect())
}

fn role_options(actor: &Actor) -> Vec<RoleOption> {
    let admin = actor.check_office(Permission::ManageOfficeRoles).is_ok();
    Role::ALL
        .into_iter()
        .filter(|r| admin || !r.office_only())
        .map(|r| RoleOption { code: r.code() })
        .collect()
}

/// The new-user form as posted.
#[derive(Deserialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage {
    l: Layout,
    form: NewUserForm,
    errors: FormErrors,
    orgs: Vec<OrgOption>,
    roles: Vec<RoleOption>,
}

pub async fn new_form(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    let orgs = org_options(&st, cu.actor()).await?;
    if orgs.is_empty() {
        return Err(AppError::Forbidden);
    }
    let form = NewUserForm {
        role: Role::MeasureOwner.code().into(),
        ..Default::default()
    };
    Ok(render(&FormPage {
        l: Layout::user(&cu, "user-new-title", "users"),
        form,
        errors: FormErrors::default(),
        orgs,
        roles: role_options(cu.actor()),
    }))
}

fn parse_org_role(org: &str, role: &str) -> Result<(OrgId, Role), ValidationErrors> {
    let mut e = ValidationErrors::default();
    let org = e.check(
        "org_id",
        org.trim()
            .parse::<i64>()
            .map(OrgId)
            .map_err(|_| "error-required"),
    );
    let role = e.check("role", Role::parse(role.trim()));
    match (org, role) {
        (Some(o), Some(r)) => Ok((o, r)),
        _ => Err(e),
    }
}

pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<NewUserForm>,
) -> AppResult<Response> {
    let draft = UserDraft {
        email: f.email.clone(),
        display_name: f.display_name.clone(),
        password: Some(f.password.clone()),
    };
    let result = match parse_org_role(&f.org_id, &f.role) {
        Ok((org, role)) => {
            users::create_user(&st, &cu.audit(), cu.actor(), &draft, org, role).await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(Created::User(u)) => Ok(see_other(&format!("/users/{}", u.id))),
        // The same page whether the address had an account or not.
        Ok(Created::Invited(_)) => Ok(see_other("/users?invited=1")),
        Err(verbund_app::Error::Invalid(e)) => {
            let orgs = org_options(&st, cu.actor()).await?;
            let form = NewUserForm {
                password: String::new(),
                ..f
            };
            Ok(render_invalid(&FormPage {
                l: Layout::user(&cu, "user-new-title", "users"),
                form,
                errors: e.into(),
                orgs,
                roles: role_options(cu.actor()),
            }))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "user_detail.html")]
struct DetailPage {
    l: Layout,
    user: User,
    grants: Vec<UserGrant>,
    orgs: Vec<OrgOption>,
    roles: Vec<RoleOption>,
    can_disable: bool,
    /// The administrator may issue a password-reset link (local, active accounts).
    can_reset: bool,
    errors: FormErrors,
}

async fn detail(
    st: &AppState,
    cu: &CurrentUser,
    id: UserId,
    errors: FormErrors,
) -> AppResult<DetailPage> {
    let (user, grants) = users::get_user(st, cu.actor(), id).await?;
    let mut l = Layout::user(cu, "user-detail-title", "users");
    l.title = user.display_name.clone();
    Ok(DetailPage {
        l,
        can_disable: cu
            .actor()
            .check_office(Permission::ManageOfficeRoles)
            .is_ok()
            && user.id != cu.actor().user_id,
        can_reset: cu
            .actor()
            .check_office(Permission::ManageOfficeRoles)
            .is_ok()
            && !user.disabled,
        user,
        grants,
        orgs: org_options(st, cu.actor()).await?,
        roles: role_options(cu.actor()),
        errors,
    })
}

pub async fn show(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    Ok(render(
        &detail(&st, &cu, UserId(id), FormErrors::default()).await?,
    ))
}

/// The grant form as posted.
#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    role: String,
}

pub async fn grant(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<GrantForm>,
) -> AppResult<Response> {
    let result = match parse_org_role(&f.org_id, &f.role) {
        Ok((org, role)) => users::grant_role(&st, &cu.audit(), cu.actor(), UserId(id), org, role)
            .await
            .map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/users/{id}"))),
        Err(verbund_app::Error::Invalid(e)) => Ok(render_invalid(
            &detail(&st, &cu, UserId(id), e.into()).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    match users::revoke_role(&st, &cu.audit(), cu.actor(), RoleAssignmentId(id)).await {
        Ok(g) => Ok(see_other(&format!("/users/{}", g.user_id))),
        Err(verbund_app::Error::Invalid(_)) => Err(AppError::Forbidden),
        Err(e) => Err(e.into()),
    }
}

/// Activate / deactivate.
#[derive(Deserialize)]
pub struct StatusForm {
    disabled: String,
}

pub async fn set_status(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Form(f): Form<StatusForm>,
) -> AppResult<Response> {
    match users::set_user_disabled(
        &st,
        &cu.audit(),
        cu.actor(),
        UserId(id),
        f.disabled == "true",
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/users/{id}"))),
        Err(verbund_app::Error::Invalid(_)) => Err(AppError::Forbidden),
        Err(e) => Err(e.into()),
    }
}
