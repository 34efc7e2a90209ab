//! The crisis pact's dependency map: which member relies on which provider object; choosing an
//! outage shows the affected members with their processes and a link to a pre-filled crisis
//! declaration. Plain links and GET parameters: works without JavaScript.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use verbund_app::pact_map::{self as svc, DeclarationDraft, OutageChoice, PactMapView};
use verbund_domain::PactId;

use super::{FormErrors, Layout, render, render_invalid};
use crate::AppState;
use crate::context::CurrentUser;
use crate::error::AppResult;
use crate::extract::IdPath;

#[derive(Template)]
#[template(path = "pact_map.html")]
struct MapPage {
    l: Layout,
    pact_id: i64,
    v: Option<PactMapView>,
    errors: FormErrors,
}

/// The link to the pact page with the declaration form filled in from `d`.
pub fn declare_link(pact: &i64, d: &DeclarationDraft) -> String {
    let q = form_urlencoded::Serializer::new(String::new())
        .append_pair("org", &d.org.0.to_string())
        .append_pair("severity", d.severity.code())
        .append_pair("affected_services", &d.affected_services)
        .append_pair("summary", &d.summary)
        .finish();
    format!("/pacts/{pact}?{q}#declare")
}

/// A number typed into the address; anything else is `-1`, which names no object.
fn number(v: Option<&String>) -> Option<i64> {
    v.filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().parse().unwrap_or(-1))
}

/// The dependency map of a pact and, with `?object=` or `?provider=`, the blast radius.
pub async fn page(
    State(st): State<AppState>,
    cu: CurrentUser,
    IdPath(id): IdPath,
    Query(q): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v);
    let choice = OutageChoice {
        object: number(get("object")),
        provider: number(get("provider")),
    };
    let l = Layout::user(&cu, "pact-map-title", "pacts");
    match svc::map(&st, cu.actor(), PactId(id), choice).await {
        Ok(v) => Ok(render(&MapPage {
            l,
            pact_id: id,
            v: Some(v),
            errors: FormErrors::default(),
        })),
        Err(verbund_app::Error::Invalid(e)) => {
            let v = svc::map(&st, cu.actor(), PactId(id), OutageChoice::default()).await?;
            Ok(render_invalid(&MapPage {
                l,
                pact_id: id,
                v: Some(v),
                errors: e.into(),
            }))
        }
        Err(e) => Err(e.into()),
    }
}
