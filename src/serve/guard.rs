//! What every request passes through: the token (when the server has one),
//! the methods and sizes it accepts, and the headers every answer carries.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use super::State;
use super::reply::json_bytes;

/// The cookie that carries the token after `?token=`.
const COOKIE: &str = "incidents_token";
/// The longest request target (path and query) accepted.
const MAX_TARGET: usize = 8 * 1024;

/// Nothing from outside: scripts, styles, fonts and data come from this
/// server; MapLibre's worker is a same-origin script.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; \
child-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

pub async fn guard(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    request: Request,
    next: Next,
) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let target = request.uri().to_string();
    let mut response = check(&state, request, next).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // The token is never written to the log.
    let shown = target.split('?').next().unwrap_or_default();
    crate::cli::note(&format!(
        "{method} {shown} {} {} ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    ));
    response
}

async fn check(state: &State, request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut r = error(
            StatusCode::METHOD_NOT_ALLOWED,
            "this server only reads: GET and HEAD are the only methods",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if request.uri().to_string().len() > MAX_TARGET {
        return error(
            StatusCode::URI_TOO_LONG,
            &format!("the request's path and query are longer than {MAX_TARGET} bytes"),
        );
    }
    let Some(token) = &state.token else {
        return next.run(request).await;
    };
    let query = request.uri().query().unwrap_or_default();
    let given = form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "token");
    if let Some((_, value)) = given {
        if !same(&value, token) {
            return error(StatusCode::UNAUTHORIZED, "the token is not this server's");
        }
        // Keep it in a cookie and take it out of the address bar.
        let rest: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form_urlencoded::parse(query.as_bytes()).filter(|(k, _)| k != "token"))
            .finish();
        let path = request.uri().path();
        let location = if rest.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{rest}")
        };
        let mut r = StatusCode::SEE_OTHER.into_response();
        let h = r.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&location) {
            h.insert(header::LOCATION, v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"
        )) {
            h.insert(header::SET_COOKIE, v);
        }
        return r;
    }
    if carried(&request).is_some_and(|t| same(&t, token)) {
        return next.run(request).await;
    }
    error(
        StatusCode::UNAUTHORIZED,
        "this server needs its token: send Authorization: Bearer TOKEN, or open the page once \
         with ?token=TOKEN",
    )
}

/// The token a request carries, in its Authorization header or cookie.
fn carried(request: &Request) -> Option<String> {
    let h = request.headers();
    if let Some(bearer) = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// Compares in time that does not depend on where the two first differ.
fn same(given: &str, token: &str) -> bool {
    given.as_bytes().ct_eq(token.as_bytes()).into()
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message });
    json_bytes(status, format!("{body}\n").into_bytes())
}
