//! Who is asking: the session (UI) or bearer token (API), the language, and the CSRF check.
//!
//! The UI middleware loads the session once per request, enforces CSRF on every unsafe method
//! (so no form handler can forget it) and turns error responses into friendly pages.

use std::net::{IpAddr, Ipv4Addr};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use verbund_domain::authz::Actor;
use verbund_domain::user::User;

use crate::AppState;
use crate::error::{AppError, ErrorMarker};
use crate::i18n::Lang;
use verbund_app::crypto::random_token;

/// Cookie holding the anonymous CSRF token (double-submit, before login).
pub const CSRF_COOKIE: &str = "verbund-csrf";
/// Cookie holding the chosen language for anonymous visitors.
pub const LANG_COOKIE: &str = "verbund-lang";
/// Form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// Header carrying the CSRF token (htmx sends it on every request).
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A logged-in session.
pub type SessionCtx = verbund_app::auth::Session;

/// Per-request UI context, put into request extensions by [`ui_middleware`].
#[derive(Debug, Clone)]
pub struct UiCtx {
    /// The session, if any (any stage).
    pub session: Option<SessionCtx>,
    /// CSRF token to embed in forms.
    pub csrf: String,
    /// Display language.
    pub lang: Lang,
    /// Client address (for rate limiting).
    pub ip: IpAddr,
}

impl UiCtx {
    /// The fully authenticated session, if any.
    pub fn user(&self) -> Option<&SessionCtx> {
        self.session
            .as_ref()
            .filter(|s| s.stage == verbund_app::auth::STAGE_FULL)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for UiCtx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<UiCtx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("ui context missing".into()))
    }
}

/// A fully logged-in UI user; other requests are redirected to the login page.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The request context.
    pub ctx: UiCtx,
    /// The session.
    pub session: SessionCtx,
}

impl CurrentUser {
    /// The user's roles.
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }

    /// Who to write into the audit log.
    pub fn audit(&self) -> verbund_store::AuditActor {
        verbund_store::AuditActor {
            user_id: Some(self.session.user.id),
            label: self.session.user.email.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = UiCtx::from_request_parts(parts, s)
            .await
            .map_err(IntoResponse::into_response)?;
        match ctx.user().cloned() {
            Some(session) => Ok(Self { ctx, session }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let target = if parts.method == Method::GET
                    && next.starts_with('/')
                    && !next.starts_with("//")
                {
                    format!(
                        "/login?next={}",
                        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                    )
                } else {
                    "/login".to_owned()
                };
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

/// An API caller authenticated by bearer token.
#[derive(Debug, Clone)]
pub struct ApiUser {
    /// The token's owner.
    pub user: User,
    /// Their roles.
    pub actor: Actor,
    /// Language for error messages (from `Accept-Language`).
    pub lang: Lang,
}

impl ApiUser {
    /// Who to write into the audit log.
    pub fn audit(&self) -> verbund_store::AuditActor {
        verbund_store::AuditActor {
            user_id: Some(self.user.id),
            label: format!("{} (API)", self.user.email),
        }
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthorized)?;
        let (user, actor) = verbund_app::auth::token(&state.app, token).await?;
        let lang = accept_language(&parts.headers);
        Ok(Self { user, actor, lang })
    }
}

fn accept_language(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// The client address: the socket peer, or the first `X-Forwarded-For` hop behind a trusted proxy.
pub fn client_ip(req: &Request, trust_proxy: bool) -> IpAddr {
    if trust_proxy
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    req.extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |c| c.0.ip())
}

async fn load_session(state: &AppState, jar: &CookieJar) -> Result<Option<SessionCtx>, AppError> {
    match jar.get(state.config.session_cookie()) {
        Some(c) => Ok(verbund_app::auth::session(&state.app, c.value()).await?),
        None => Ok(None),
    }
}

/// Reads the session, decides language and CSRF token, checks CSRF on unsafe methods, and
/// renders error responses as pages.
pub async fn ui_middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match ui_inner(state, req, next).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn ui_inner(state: AppState, req: Request, next: Next) -> Result<Response, AppError> {
    let jar = CookieJar::from_headers(req.headers());
    let session = load_session(&state, &jar).await?;
    let session_csrf = session.as_ref().map(|s| s.csrf.clone());
    let cookie_csrf = jar
        .get(CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 16);
    let new_cookie = session_csrf.is_none() && cookie_csrf.is_none();
    let csrf = session_csrf
        .clone()
        .or(cookie_csrf)
        .unwrap_or_else(|| random_token(24));
    let lang = match &session {
        Some(s) => Lang::parse(&s.user.locale).unwrap_or_default(),
        None => jar
            .get(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .unwrap_or_else(|| accept_language(req.headers())),
    };
    let ip = client_ip(&req, state.config.trust_proxy);
    let req = if is_unsafe(req.method()) {
        check_csrf(&state, req, &csrf, new_cookie).await?
    } else {
        req
    };
    let ctx = UiCtx {
        session,
        csrf: csrf.clone(),
        lang,
        ip,
    };
    let mut req = req;
    req.extensions_mut().insert(ctx.clone());
    let mut res = next.run(req).await;
    if new_cookie {
        append_cookie(
            &mut res,
            Cookie::build((CSRF_COOKIE, csrf))
                .path("/")
                .http_only(true)
                .secure(state.config.is_https())
                .same_site(SameSite::Strict)
                .build(),
        );
    }
    Ok(match res.extensions().get::<ErrorMarker>().cloned() {
        Some(m) if m.code == "error-unauthorized" => Redirect::to("/login").into_response(),
        Some(m) => crate::ui::error_page(
            &ctx,
            res.status(),
            m.message_key,
            &m.args,
            res.headers().get(header::RETRY_AFTER).cloned(),
        ),
        None => res,
    })
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn check_csrf(
    state: &AppState,
    req: Request,
    expected: &str,
    no_token_yet: bool,
) -> Result<Request, AppError> {
    if !same_origin(state, req.headers()) {
        return Err(AppError::Csrf);
    }
    if no_token_yet {
        return Err(AppError::Csrf);
    }
    if let Some(h) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if constant_eq(h, expected) {
            Ok(req)
        } else {
            Err(AppError::Csrf)
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // File uploads (multipart) carry the token in the query string: reading it from the body
    // would mean buffering the whole upload here, before the route's own size limit applies.
    if content_type.starts_with("multipart/form-data") {
        let given = req
            .uri()
            .query()
            .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == CSRF_FIELD))
            .map(|(_, v)| v.into_owned());
        return match given {
            Some(g) if constant_eq(&g, expected) => Ok(req),
            _ => Err(AppError::Csrf),
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Err(AppError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, state.config.max_body_bytes)
        .await
        .map_err(|_| AppError::bad("error-too-large"))?;
    let given = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned());
    match given {
        Some(g) if constant_eq(&g, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Csrf),
    }
}

/// Whether an unsafe request comes from one of our own pages: its `Origin`, or without one
/// (older browsers, some privacy settings) the origin of its `Referer`, is the base URL's or
/// names the host the request was sent to. Without either the request is refused: every
/// request here is cookie-authenticated (the bearer-token API does not pass this check).
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let header_text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let origin = match header_text(header::ORIGIN) {
        Some(o) => o,
        None => match header_text(header::REFERER).and_then(origin_of) {
            Some(o) => o,
            None => return false,
        },
    };
    origin == state.config.origin() || same_host(origin, headers)
}

/// Scheme, host and port of an absolute URL (`https://host:8443` of
/// `https://host:8443/path?q`); `None` for anything else.
fn origin_of(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if end == 0 || rest[..end].contains('@') {
        return None;
    }
    Some(&url[..scheme.len() + 3 + end])
}

/// Accepts an Origin naming the host the request was sent to (deployments reached under
/// several names); a cross-site form posts with its own, different Origin.
fn same_host(origin: &str, headers: &HeaderMap) -> bool {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !host.is_empty() && origin.split_once("://").is_some_and(|(_, h)| h == host)
}

/// Compares secrets in time independent of where they differ (their length is not secret).
pub fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Adds a `Set-Cookie` header to a response (a cookie that cannot be a header value is dropped:
/// our cookie values are base64url tokens and language codes).
pub fn append_cookie(res: &mut Response, c: Cookie<'_>) {
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Builds the session cookie.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    let ttl = time::Duration::seconds(
        i64::try_from(state.config.session_ttl.as_secs()).unwrap_or(i64::MAX),
    );
    Cookie::build((state.config.session_cookie(), token))
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .same_site(SameSite::Lax)
        .max_age(ttl)
        .build()
}

/// A response that clears the session cookie.
pub fn clear_session_cookie(state: &AppState) -> Cookie<'static> {
    Cookie::build((state.config.session_cookie(), ""))
        .path("/")
        .http_only(true)
        .secure(state.config.is_https())
        .max_age(time::Duration::ZERO)
        .build()
}

/// Answers requests that match no route.
pub async fn fallback() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_eq_compares_fully() {
        assert!(constant_eq("abc", "abc"));
        assert!(!constant_eq("abc", "abd"));
        assert!(!constant_eq("abc", "ab"));
    }

    #[test]
    fn same_host_matches_host_header() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("verbund.local:8080"));
        assert!(same_host("http://verbund.local:8080", &h));
        assert!(!same_host("https://evil.example", &h));
    }

    #[test]
    fn origin_of_a_referer_is_scheme_host_and_port() {
        assert_eq!(
            origin_of("http://localhost:8080/orgs/1?x=2"),
            Some("http://localhost:8080")
        );
        assert_eq!(origin_of("https://a.example"), Some("https://a.example"));
        assert_eq!(origin_of("https://a.example?x"), Some("https://a.example"));
        assert_eq!(origin_of("https://user@evil.example/"), None);
        assert_eq!(origin_of("/relative/path"), None);
        assert_eq!(origin_of("https:///path"), None);
    }

    #[test]
    fn unsafe_methods() {
        assert!(is_unsafe(&Method::POST));
        assert!(!is_unsafe(&Method::GET));
    }
}
