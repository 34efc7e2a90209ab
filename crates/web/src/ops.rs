//! Operations endpoints: liveness, readiness, Prometheus metrics, and request metrics.

use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// `/healthz`, `/readyz`, `/metrics`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus text format, for the bearer token `metrics_token` only: without a configured
/// token the endpoint does not exist (404), a missing or wrong token is 401. Request counts and
/// timings per route tell an outsider which pages are used and how busy the office is.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (Some(expected), Some(h)) = (&state.config.metrics_token, &state.metrics) else {
        return crate::error::AppError::NotFound.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !crate::context::constant_eq(given.trim(), expected.expose()) {
        let mut r = crate::error::AppError::Unauthorized.into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
        return r;
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        h.render(),
    )
        .into_response()
}

/// Counts requests and their duration per route pattern (not per concrete URL: bounded labels).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let path = normalize(req.uri().path());
    let res = next.run(req).await;
    // Unknown URLs would give unbounded label values.
    let path = if res.status() == StatusCode::NOT_FOUND {
        "unmatched".to_owned()
    } else {
        path
    };
    let status = res.status().as_u16().to_string();
    let labels = [("method", method), ("path", path), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    res
}

/// Replaces numeric path segments by `{id}`, so `/orgs/7` and `/orgs/8` share one label.
fn normalize(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                "{id}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn numeric_segments_become_placeholders() {
        assert_eq!(
            super::normalize("/api/v1/organisations/17/memberships"),
            "/api/v1/organisations/{id}/memberships"
        );
        assert_eq!(super::normalize("/"), "/");
    }
}
