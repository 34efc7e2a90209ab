//! JSON API under `/api/v1`: bearer-token authentication, consistent error bodies, pagination,
//! and an OpenAPI document with an offline docs page at `/api/docs`.

mod account;
mod assessments;
mod catalogs;
mod costs;
mod invitations;
mod key_figures;
mod orgs;
mod users;

use axum::Router;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_swagger_ui::SwaggerUi;

use crate::AppState;
use crate::routes::Routes;

pub use crate::extract::{ApiJson, ApiQuery, IMPORT_LIMIT, IdPath, ListQuery};

/// Every API route (paths relative to `/api/v1`).
pub fn routes() -> Routes {
    Routes::default()
        .get("/me", account::me)
        .post("/me/password", account::change_password)
        .post("/me/logout-everywhere", account::logout_everywhere)
        .get("/me/invitations", invitations::mine)
        .post("/me/invitations/{id}/accept", invitations::accept)
        .post("/me/invitations/{id}/decline", invitations::decline)
        .get("/invitations", invitations::sent)
        .get("/organisations", orgs::list)
        .post("/organisations", orgs::create)
        .get("/organisations/{id}", orgs::get_one)
        .put("/organisations/{id}", orgs::update)
        .get("/organisations/{id}/memberships", orgs::memberships)
        .post("/organisations/{id}/memberships", orgs::add_membership)
        .put("/memberships/{id}", orgs::update_membership)
        .delete("/memberships/{id}", orgs::delete_membership)
        .get("/key-figure-proposals", key_figures::list)
        .post(
            "/organisations/{id}/key-figure-proposals",
            key_figures::propose,
        )
        .get("/key-figure-proposals/{id}", key_figures::get_one)
        .post("/key-figure-proposals/{id}/accept", key_figures::accept)
        .post("/key-figure-proposals/{id}/reject", key_figures::reject)
        .get("/users", users::list)
        .post("/users", users::create)
        .get("/users/{id}", users::get_one)
        .patch("/users/{id}", users::update)
        .post("/users/{id}/roles", users::grant)
        .delete("/role-assignments/{id}", users::revoke)
        .get("/audit", account::audit)
        .get("/tokens", account::tokens)
        .post("/tokens", account::create_token)
        .delete("/tokens/{id}", account::revoke_token)
        .post_with_limit("/catalogs", catalogs::import, IMPORT_LIMIT)
        .get("/catalogs", catalogs::list)
        .get("/catalogs/{id}", catalogs::get_one)
        .get("/costs/budget", costs::budget)
        .post("/costs/budget-lines", costs::add_line)
        .put("/costs/budget-lines/{id}", costs::update_line)
        .delete("/costs/budget-lines/{id}", costs::delete_line)
        .post("/costs/budget/copy", costs::copy_budget)
        .get("/costs/subsidies", costs::subsidies)
        .post("/costs/subsidies", costs::create_subsidy)
        .put("/costs/subsidies/{id}", costs::update_subsidy)
        .delete("/costs/subsidies/{id}", costs::delete_subsidy)
        .get("/costs/keys", costs::keys)
        .post("/costs/keys", costs::create_key)
        .get("/costs/keys/{id}", costs::key)
        .put("/costs/keys/{id}", costs::update_key)
        .get("/costs/preview", costs::preview)
        .get("/costs/compare", costs::compare)
        .get("/costs/statements", costs::statements)
        .post("/costs/statements", costs::issue)
        .get("/costs/statements/{id}", costs::statement)
        .get("/costs/statements/{id}/pdf", costs::statement_pdf)
        .get("/costs/statements/{id}/xlsx", costs::statement_xlsx)
        .get("/settings", costs::settings)
        .put("/settings", costs::save_settings)
        .post("/assessments", assessments::start)
        .get("/assessments", assessments::list)
        .get("/assessments/{id}", assessments::get_one)
        .get("/assessments/{id}/answers", assessments::answers)
        .post("/assessments/{id}/answers/bulk", assessments::bulk)
        .put("/answers/{id}", assessments::answer)
        .get("/assessments/{id}/snapshots", assessments::snapshots)
        .post("/assessments/{id}/snapshots", assessments::snapshot)
        .get("/assessments/{id}/compare", assessments::compare)
        .get("/assessments/{id}/export", assessments::export)
        .post_with_limit(
            "/assessments/{id}/import",
            assessments::import,
            IMPORT_LIMIT,
        )
        .get("/answers/{id}/evidence", assessments::evidence_list)
        .post_with_limit(
            "/answers/{id}/evidence",
            assessments::add_evidence,
            verbund_app::assessments::EVIDENCE_LIMIT + 1024,
        )
        .get("/evidence/{id}", assessments::evidence)
        .delete("/evidence/{id}", assessments::delete_evidence)
        .get("/heatmap", assessments::heatmap)
        .get("/assessments/{id}/migration", assessments::migration)
        .post("/assessments/{id}/migrate", assessments::migrate)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Verbund API", description = "JSON API of Verbund. Authenticate with a personal API token: `Authorization: Bearer vbd_…` (create one under Profil → API-Tokens). Errors always have the shape `{\"error\": {\"code\", \"message\", \"fields\"}}`."),
    servers((url = "/api/v1")),
    paths(
        account::me, account::change_password, account::logout_everywhere,
        invitations::mine, invitations::accept, invitations::decline, invitations::sent, orgs::list, orgs::create, orgs::get_one, orgs::update, orgs::memberships, orgs::add_membership,
        orgs::update_membership, orgs::delete_membership, key_figures::list, key_figures::propose, key_figures::get_one,
        key_figures::accept, key_figures::reject, users::list, users::create, users::get_one, users::update,
        users::grant, users::revoke, account::audit, account::tokens, account::create_token, account::revoke_token,
        costs::budget, costs::add_line, costs::update_line, costs::delete_line, costs::copy_budget, costs::subsidies,
        costs::create_subsidy, costs::update_subsidy, costs::delete_subsidy, costs::keys, costs::create_key, costs::key,
        costs::update_key, costs::preview, costs::compare, costs::statements, costs::issue, costs::statement, costs::statement_pdf, costs::statement_xlsx, costs::settings, costs::save_settings,
        catalogs::import, catalogs::list, catalogs::get_one,
        assessments::start, assessments::list, assessments::get_one, assessments::answers, assessments::bulk, assessments::answer,
        assessments::snapshots, assessments::snapshot, assessments::compare, assessments::export, assessments::import,
        assessments::evidence_list, assessments::add_evidence, assessments::evidence, assessments::delete_evidence, assessments::heatmap,
        assessments::migration, assessments::migrate
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `/api/openapi.json` and the Swagger UI at `/api/docs` (assets bundled, nothing from a CDN).
pub fn docs_routes() -> Router<AppState> {
    Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi()))
}
