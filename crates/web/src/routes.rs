//! A router that remembers its routes, so tests can check that every route is covered by the
//! tenant-isolation matrix (adding a route without a matrix entry fails the test).

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodRouter, delete, get, patch, post, put};

use crate::AppState;
use crate::error::AppError;

/// Replaces any 413 answer of the inner handler (axum's plain-text one, or an upload error
/// without the limit) by [`AppError::TooLarge`] with the route's limit.
async fn too_large_as_error(
    limit: usize,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let res = next.run(req).await;
    // A handler's own "content too large" (e.g. an upload that unpacks to too much) names its
    // limit already and stays.
    let precise = res
        .extensions()
        .get::<crate::error::ErrorMarker>()
        .is_some_and(|m| m.code != "error-too-large");
    if res.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE && !precise {
        return AppError::TooLarge { limit_bytes: limit }.into_response();
    }
    res
}

/// One registered route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// HTTP method.
    pub method: &'static str,
    /// Path pattern with `{param}` placeholders.
    pub path: &'static str,
}

/// Router plus the list of its routes.
pub struct Routes {
    router: Router<AppState>,
    list: Vec<RouteInfo>,
}

impl Default for Routes {
    fn default() -> Self {
        Self {
            router: Router::new(),
            list: Vec::new(),
        }
    }
}

macro_rules! method {
    ($name:ident, $name_str:literal) => {
        /// Registers a handler for this method.
        pub fn $name<H, T>(self, path: &'static str, h: H) -> Self
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            self.add($name_str, path, $name(h))
        }
    };
}

impl Routes {
    fn add(mut self, method: &'static str, path: &'static str, mr: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, mr);
        self.list.push(RouteInfo { method, path });
        self
    }

    method!(get, "GET");
    method!(post, "POST");
    method!(patch, "PATCH");
    method!(put, "PUT");
    method!(delete, "DELETE");

    /// Registers a POST handler that accepts bodies up to `limit` bytes (file imports). A
    /// larger body is answered with our error (`error-too-large` naming the limit: JSON for the
    /// API, a German page in the UI), whichever extractor noticed it.
    pub fn post_with_limit<H, T>(self, path: &'static str, h: H, limit: usize) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(
            "POST",
            path,
            post(h)
                .layer(axum::extract::DefaultBodyLimit::max(limit))
                .layer(axum::middleware::from_fn(move |req, next| {
                    too_large_as_error(limit, req, next)
                })),
        )
    }

    /// Splits into the router and the route list.
    pub fn into_parts(self) -> (Router<AppState>, Vec<RouteInfo>) {
        (self.router, self.list)
    }
}
