//! The web layer: server-rendered German/English UI, JSON API under `/api/v1`, operations
//! endpoints. [`app`] builds the whole router, so tests drive it without a socket.

pub mod api;
pub mod config;
pub mod context;
pub mod download;
pub mod error;
pub mod extract;
/// Translations (the `verbund-i18n` crate).
pub mod i18n {
    pub use verbund_i18n::*;
}
pub mod ops;
pub mod routes;
pub mod security;
pub mod ui;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use verbund_app::Services;
use verbund_store::Store;

pub use config::WebConfig;
pub use routes::RouteInfo;

/// Shared state of every request handler.
#[derive(Clone)]
pub struct AppState {
    /// The application's operations (store, clock, sign-in rules).
    pub app: Services,
    /// Settings.
    pub config: Arc<WebConfig>,
    /// Prometheus recorder, if metrics are switched on.
    pub metrics: Option<metrics_exporter_prometheus::PrometheusHandle>,
}

impl AppState {
    /// State with the given store and settings.
    pub fn new(store: Store, config: WebConfig) -> Self {
        let app = Services::new(store, config.auth_policy());
        Self {
            app,
            config: Arc::new(config),
            metrics: None,
        }
    }
}

// Handlers reach the operations as `st.store`/`verbund_app::x::f(&st, …)` through this.
impl std::ops::Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.app
    }
}

/// Every UI route (HTML, session + CSRF) and every API route (JSON, bearer token).
pub fn route_table() -> (Vec<RouteInfo>, Vec<RouteInfo>) {
    let (_, ui) = ui::routes().into_parts();
    let (_, api) = api::routes().into_parts();
    (ui, api)
}

/// gzip for large text responses (item lists, pages), when the client asks for it. The fastest
/// level: a 1.4 MB answer list shrinks about tenfold either way, and the CPU is what limits the
/// server. PDFs and XLSX workbooks are compressed already.
fn compression()
-> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    use tower_http::compression::{CompressionLayer, CompressionLevel};
    CompressionLayer::new()
        .quality(CompressionLevel::Fastest)
        .compress_when(
            SizeAbove::new(8 * 1024)
                .and(NotForContentType::const_new("application/pdf"))
                .and(NotForContentType::const_new(
                    "application/vnd.openxmlformats",
                ))
                .and(NotForContentType::IMAGES),
        )
}

/// Builds the application router.
pub fn app(state: AppState) -> Router {
    let (ui_router, _) = ui::routes().into_parts();
    let (api_router, _) = api::routes().into_parts();
    let ui_router = ui_router
        .fallback(context::fallback)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::ui_middleware,
        ));
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .nest("/api/v1", api_router.fallback(context::fallback))
        .merge(api::docs_routes())
        .merge(ops::routes())
        .merge(ui_router)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(middleware::from_fn(ops::track))
        .layer(compression())
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
