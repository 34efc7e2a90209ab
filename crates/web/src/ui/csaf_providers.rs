//! The office's page of subscribed CSAF providers (`/advisories/providers`): register by the
//! URL of `provider-metadata.json`, each provider's newest run, *Jetzt abrufen*, removal, and
//! one provider's runs with every failed document and its reason.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use verbund_app::advisories::Mailer;
use verbund_app::csaf_feed::{self as svc, ProviderOut};
use verbund_domain::CsafProviderId;
use verbund_domain::validation::ValidationErrors;
use verbund_store::{CsafProvider, ProviderRun};

use super::{FormErrors, Layout, fmt_ms, render, render_invalid, see_other};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

type Fields = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "csaf_providers.html")]
struct ListPage {
    l: Layout,
    items: Vec<ProviderOut>,
    errors: FormErrors,
    detail: String,
    url: String,
}

impl ListPage {
    fn when(&self, ms: &i64) -> String {
        fmt_ms(*ms)
    }
}

async fn list_page(
    st: &AppState,
    cu: &CurrentUser,
    errors: FormErrors,
    detail: String,
    url: String,
) -> AppResult<ListPage> {
    Ok(ListPage {
        l: Layout::user(cu, "csaf-providers-title", "advisories"),
        items: svc::list(st, cu.actor()).await?,
        errors,
        detail,
        url,
    })
}

/// The providers (office).
pub async fn list(State(st): State<AppState>, cu: CurrentUser) -> AppResult<Response> {
    Ok(render(
        &list_page(
            &st,
            &cu,
            FormErrors::default(),
            String::new(),
            String::new(),
        )
        .await?,
    ))
}

/// Registers a provider (office).
pub async fn create(
    State(st): State<AppState>,
    cu: CurrentUser,
    Form(f): Form<Fields>,
) -> AppResult<Response> {
    let url = f
        .iter()
        .find(|(k, _)| k == "metadata_url")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    match svc::register(&st, &cu.audit(), cu.actor(), &url).await {
        Ok((p, _)) => Ok(see_other(&format!("/advisories/providers/{}", p.id.0))),
        Err(verbund_app::Error::BadInput { code, detail }) => Ok(render_invalid(
            &list_page(
                &st,
                &cu,
                ValidationErrors::single("metadata_url", code).into(),
                detail,
                url,
            )
            .await?,
        )),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "csaf_provider.html")]
struct DetailPage {
    l: Layout,
    p: CsafProvider,
    runs: Vec<ProviderRun>,
}

impl DetailPage {
    fn when(&self, ms: &i64) -> String {
        fmt_ms(*ms)
    }
}

/// One provider with its runs (office).
pub async fn detail(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let (p, runs) = svc::runs(&st, cu.actor(), CsafProviderId(id)).await?;
    Ok(render(&DetailPage {
        l: Layout::user(&cu, "csaf-provider-title", "advisories"),
        p,
        runs,
    }))
}

/// Walks the provider now, then shows its runs (office).
pub async fn run(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let (texts, site) = crate::api::advisory_mail_parts(&st);
    let mailer = Mailer {
        texts: &texts,
        site: &site,
    };
    svc::run_now(
        &st,
        &cu.audit(),
        cu.actor(),
        CsafProviderId(id),
        Some(&mailer),
    )
    .await?;
    Ok(see_other(&format!("/advisories/providers/{id}")))
}

/// Ends the subscription (office).
pub async fn delete(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    svc::remove(&st, &cu.audit(), cu.actor(), CsafProviderId(id)).await?;
    Ok(see_other("/advisories/providers"))
}
