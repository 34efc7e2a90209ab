//! JSON API under `/api/v1`: bearer-token authentication, consistent error bodies, pagination,
//! and an OpenAPI document with an offline docs page at `/api/docs`.

mod account;
mod advisories;
mod csaf_providers;
pub(crate) use advisories::mail_parts as advisory_mail_parts;
mod assessments;
pub(crate) mod branding;
mod catalogs;
mod check;
mod cost_issue;
mod costs;
mod invitations;
mod jobs;
mod key_figures;
mod measures;
mod modelling;
mod office;
mod orgs;
mod pact_map;
mod pacts;
mod risks;
mod structure;
mod users;

use axum::Router;
use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
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
        // Before the update route: the isolation controls deactivate the user there.
        .post("/users/{id}/password-reset", office::password_reset)
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
        .post("/costs/statements/draft", cost_issue::draft)
        .get("/costs/statements/{id}/zip", cost_issue::statement_zip)
        .get("/costs/standalone", cost_issue::standalone)
        .put("/costs/standalone", cost_issue::save_standalone)
        .get("/settings", costs::settings)
        .put("/settings", costs::save_settings)
        .get("/branding/logo", branding::federation_logo)
        .put("/settings/logo", branding::put_federation_logo)
        .delete("/settings/logo", branding::delete_federation_logo)
        .get("/organisations/{id}/logo", branding::member_logo)
        .put("/organisations/{id}/logo", branding::put_member_logo)
        .delete("/organisations/{id}/logo", branding::delete_member_logo)
        .post("/assessments", assessments::start)
        .get("/assessments", assessments::list)
        .get("/assessments/{id}", assessments::get_one)
        .get("/assessments/{id}/answers", assessments::answers)
        .post("/assessments/{id}/answers/bulk", assessments::bulk)
        .post(
            "/assessments/{id}/not-applicable",
            assessments::topic_not_applicable,
        )
        .post(
            "/assessment-changes/{id}/undo",
            assessments::undo_group_change,
        )
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
        .get("/dashboard", office::dashboard)
        .get("/heatmap/report/pdf", office::report_pdf)
        .get("/heatmap/report/xlsx", office::report_xlsx)
        .get("/structure/objects", structure::list)
        .post("/organisations/{id}/structure/objects", structure::create)
        .get("/structure/objects/{id}", structure::get_one)
        .put("/structure/objects/{id}", structure::update)
        .delete("/structure/objects/{id}", structure::delete)
        .put("/structure/objects/{id}/needs", structure::set_need)
        .get("/organisations/{id}/structure/links", structure::links)
        .post("/structure/links", structure::create_link)
        .delete("/structure/links/{id}", structure::delete_link)
        .get("/structure/settings", structure::settings)
        .put("/structure/settings", structure::save_settings)
        .get("/structure/providers", structure::providers)
        .get("/organisations/{id}/structure/export", structure::export)
        .get("/organisations/{id}/structure/report", structure::report)
        .post_with_limit(
            "/organisations/{id}/structure/import",
            structure::import,
            IMPORT_LIMIT,
        )
        .get("/structure/objects/{id}/modules", modelling::object_modules)
        .post("/structure/objects/{id}/modules", modelling::assign)
        .delete("/structure/modules/{id}", modelling::unassign)
        .get("/structure/modules", modelling::modules)
        .get(
            "/organisations/{id}/structure/modelling",
            modelling::modelling,
        )
        .get("/structure/coverage", modelling::coverage)
        .get("/structure/module-rules", modelling::rules)
        .put("/structure/module-rules", modelling::save_rules)
        .get("/measures", measures::list)
        .post("/organisations/{id}/measures", measures::create)
        .get("/organisations/{id}/measures/plan", measures::plan)
        .get("/measures/{id}", measures::get_one)
        .put("/measures/{id}", measures::update)
        .delete("/measures/{id}", measures::delete)
        .put("/measures/{id}/status", measures::set_status)
        .post("/measures/{id}/notes", measures::add_note)
        .put("/measures/{id}/objects", measures::set_objects)
        .get("/assessments/{id}/measures/bulk", measures::bulk_preview)
        .post("/assessments/{id}/measures/bulk", measures::bulk_create)
        .get("/measure-templates", measures::templates)
        .post("/measure-templates", measures::create_template)
        .get("/measure-templates/{id}", measures::template)
        .post("/measure-templates/{id}/push", measures::push_template)
        .get("/risks", risks::list)
        .get("/risks/federation", risks::federation)
        .get("/risks/{id}", risks::get_one)
        .put("/risks/{id}", risks::update)
        .delete("/risks/{id}", risks::delete)
        .post("/risks/{id}/accept", risks::accept)
        .post("/risks/{id}/measures", risks::link_measure)
        .post("/risks/{id}/measures/unlink", risks::unlink_measure)
        .get("/structure/objects/{id}/risks", risks::object_risks)
        .post("/structure/objects/{id}/risks", risks::create)
        .get("/risk-threats", risks::threats)
        .post("/risk-threats", risks::create_threat)
        .get("/risk-matrix", risks::matrix)
        .put("/risk-matrix", risks::save_matrix)
        .get("/organisations/{id}/check", check::check)
        .get("/structure/objects/{id}/check", check::object_rows)
        .get("/check/rows/{id}", check::row)
        .put("/check/rows/{id}", check::answer)
        .get("/check/comparison", check::comparison)
        .get("/jobs", jobs::list)
        .get("/outbox", jobs::outbox)
        .get("/reminder-settings", jobs::settings)
        .put("/reminder-settings", jobs::save_settings)
        .get("/me/calendar-feed", jobs::feed)
        .post("/me/calendar-feed", jobs::create_feed)
        .delete("/me/calendar-feed", jobs::revoke_feed)
        .get("/pacts", pacts::list)
        .post("/pacts", pacts::create)
        .get("/pacts/{id}", pacts::get_one)
        .put("/pacts/{id}", pacts::update)
        .post("/pacts/{id}/members", pacts::set_member)
        .post("/pacts/{id}/crises", pacts::declare)
        .get("/pacts/{id}/dependency-map", pact_map::dependency_map)
        .get("/organisations/{id}/pact-handbook", pact_map::handbook)
        .get("/pact-crises/{id}/settlement", pact_map::settlement)
        .get("/organisations/{id}/pact-registry", pacts::registry)
        .post("/organisations/{id}/pact-resources", pacts::create_resource)
        .put("/pact-resources/{id}", pacts::update_resource)
        .delete("/pact-resources/{id}", pacts::delete_resource)
        .post("/pact-resources/{id}/confirm", pacts::confirm_resource)
        .post("/organisations/{id}/pact-contacts", pacts::create_contact)
        .delete("/pact-contacts/{id}", pacts::delete_contact)
        .get("/pact-crises/{id}", pacts::crisis)
        .post("/pact-crises/{id}/entries", pacts::add_entry)
        .post("/pact-crises/{id}/requests", pacts::add_request)
        .post("/pact-crises/{id}/close", pacts::close)
        .get("/pact-requests/{id}/matches", pacts::matches)
        .post("/pact-requests/{id}/loans", pacts::ask_loan)
        .post("/pact-loans/{id}/decision", pacts::decide_loan)
        .post_with_limit("/advisories", advisories::import, IMPORT_LIMIT)
        .get("/advisories", advisories::list)
        .get("/advisories/{id}", advisories::get_one)
        .get("/advisories/{id}/document", advisories::document)
        .get("/advisory-warnings", advisories::warnings)
        .get("/advisory-warnings/critical", advisories::critical)
        .get("/advisory-warnings/{id}", advisories::warning)
        .post(
            "/advisory-warnings/{id}/acknowledge",
            advisories::acknowledge,
        )
        .post("/advisory-warnings/{id}/done", advisories::done)
        .post("/advisory-warnings/{id}/confirm", advisories::confirm)
        .post("/advisory-warnings/{id}/measure", advisories::measure)
        .get("/csaf-providers", csaf_providers::list)
        .post("/csaf-providers", csaf_providers::create)
        .get("/csaf-providers/{id}", csaf_providers::get_one)
        .delete("/csaf-providers/{id}", csaf_providers::delete)
        .post("/csaf-providers/{id}/run", csaf_providers::run)
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Verbund API", description = "JSON API of Verbund. Authenticate with a personal API token: `Authorization: Bearer vbd_…` (create one under Profil → API-Tokens). The browser session cookie is not accepted here. Errors always have the shape `{\"error\": {\"code\", \"message\", \"detail\"?, \"fields\"}}` with a German `message` (English with `Accept-Language: en`). Lists take `page` (1 to 1,000,000) and `per_page` (1 to 200); values outside those ranges are refused with 422, not clamped."),
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
        cost_issue::draft, cost_issue::statement_zip, cost_issue::standalone, cost_issue::save_standalone,
        catalogs::import, catalogs::list, catalogs::get_one,
        assessments::start, assessments::list, assessments::get_one, assessments::answers, assessments::bulk, assessments::answer,
        assessments::snapshots, assessments::snapshot, assessments::compare, assessments::export, assessments::import,
        assessments::evidence_list, assessments::add_evidence, assessments::evidence, assessments::delete_evidence, assessments::heatmap,
        assessments::migration, assessments::migrate, assessments::topic_not_applicable, assessments::undo_group_change,
        office::dashboard, office::report_pdf, office::report_xlsx, office::password_reset,
        structure::list, structure::create, structure::get_one, structure::update, structure::delete, structure::set_need,
        structure::links, structure::create_link, structure::delete_link, structure::settings, structure::save_settings,
        structure::providers, structure::export, structure::import,
        modelling::object_modules, modelling::assign, modelling::unassign, modelling::modules, modelling::modelling,
        modelling::coverage, modelling::rules, modelling::save_rules,
        structure::report,
        risks::list, risks::federation, risks::get_one, risks::update, risks::delete, risks::accept,
        risks::link_measure, risks::unlink_measure, risks::object_risks, risks::create, risks::threats,
        risks::create_threat, risks::matrix, risks::save_matrix,
        branding::federation_logo, branding::put_federation_logo, branding::delete_federation_logo,
        branding::member_logo, branding::put_member_logo, branding::delete_member_logo,
        measures::list, measures::create, measures::plan, measures::get_one, measures::update, measures::delete, measures::set_status,
        measures::add_note, measures::set_objects, measures::bulk_preview, measures::bulk_create, measures::templates, measures::create_template,
        measures::template, measures::push_template,
        check::check, check::object_rows, check::row, check::answer, check::comparison,
        jobs::list, jobs::outbox, jobs::settings, jobs::save_settings, jobs::feed, jobs::create_feed, jobs::revoke_feed,
        pacts::list, pacts::create, pacts::get_one, pacts::update, pacts::set_member, pacts::declare, pacts::registry,
        pacts::create_resource, pacts::update_resource, pacts::delete_resource, pacts::confirm_resource,
        pacts::create_contact, pacts::delete_contact, pacts::crisis, pacts::add_entry, pacts::add_request, pacts::close,
        pacts::matches, pacts::ask_loan, pacts::decide_loan, pact_map::dependency_map, pact_map::handbook, pact_map::settlement,
        advisories::import, advisories::list, advisories::get_one, advisories::document, advisories::warnings,
        advisories::critical, advisories::warning, advisories::acknowledge, advisories::done, advisories::confirm,
        advisories::measure,
        csaf_providers::list, csaf_providers::create, csaf_providers::get_one, csaf_providers::delete,
        csaf_providers::run
    ),
    components(schemas(crate::error::ErrorBody)),
    modifiers(&BearerAuth, &ErrorResponses),
    security(("bearer" = []))
)]
struct ApiDoc;

/// A file's bytes: the body of an upload or a download that is not JSON.
pub struct Binary;

impl utoipa::PartialSchema for Binary {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl utoipa::ToSchema for Binary {}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token (`vbd_…`), created under Profil → API-Tokens or with `POST /tokens`.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Documents the error answers every operation can give by its shape, so no annotation can
/// forget them: 401 everywhere (all routes need a token), 400 where a query string or body is
/// parsed, 404 where a path names an object, 413/415/422 for JSON bodies, 413 for file bodies
/// and 422 for paginated lists. Every 4xx answer carries the JSON error body.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                add_error_responses(op);
            }
        }
    }
}

fn add_error_responses(op: &mut Operation) {
    let params: Vec<&Parameter> = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
        .collect();
    let has = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let (has_path, has_query, has_header) = (
        has(ParameterIn::Path),
        has(ParameterIn::Query),
        has(ParameterIn::Header),
    );
    let body_types: Vec<String> = match &op.request_body {
        Some(RefOr::T(b)) => b.content.keys().cloned().collect(),
        _ => Vec::new(),
    };
    let json_body = body_types.iter().any(|t| t == "application/json");
    let mut wanted: Vec<(&str, &str)> = vec![(
        "401",
        "No token, or the token is unknown, expired or revoked (`error-unauthorized`).",
    )];
    if has_query || has_header || !body_types.is_empty() {
        wanted.push((
            "400",
            "Malformed request: a query parameter, header or body that cannot be read (`error-query`, `error-json-syntax`, `error-json-data`, …).",
        ));
    }
    if has_path {
        wanted.push((
            "404",
            "No such object, or one that belongs to another member (`error-not-found`).",
        ));
    }
    if !body_types.is_empty() {
        wanted.push((
            "413",
            "The body is larger than allowed (`error-too-large`).",
        ));
    }
    if json_body {
        wanted.push((
            "415",
            "The body was not sent as `Content-Type: application/json` (`error-content-type`).",
        ));
    }
    if json_body || has_query {
        wanted.push((
            "422",
            "Invalid values; `fields` names each invalid field with its code and message (`error-validation`).",
        ));
    }
    let responses = &mut op.responses.responses;
    for (status, description) in wanted {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error_response(description)));
    }
    // Hand-written error answers get the error body, and every answer a description (OpenAPI
    // requires one).
    for (status, response) in responses.iter_mut() {
        let RefOr::T(r) = response else { continue };
        let error = status.starts_with('4') || status.starts_with('5');
        if error && r.content.is_empty() {
            r.content
                .insert("application/json".to_owned(), RefOr::T(error_content()));
        }
        if r.description.is_empty() {
            r.description = default_description(status).to_owned();
        }
    }
}

fn default_description(status: &str) -> &'static str {
    match status {
        "400" => "Malformed request (`error-query`, …).",
        "403" => "The caller's own object, but the role lacks the right (`error-forbidden`).",
        "404" => "No such object, or one that belongs to another member (`error-not-found`).",
        "409" => "Someone else changed the object in the meantime (`error-stale`); read it again.",
        "422" => "Invalid values; `fields` names each invalid field (`error-validation`).",
        "200" => "OK.",
        "201" => "Created.",
        "204" => "Done; no content.",
        _ => "Error (see `error.code`).",
    }
}

fn error_content() -> Content {
    Content::new(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
}

fn error_response(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", error_content())
        .build()
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `/api/openapi.json` and the Swagger UI at `/api/docs` (assets bundled, nothing from a CDN).
pub fn docs_routes() -> Router<AppState> {
    Router::from(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi()))
}

#[cfg(test)]
mod spec_tests;
