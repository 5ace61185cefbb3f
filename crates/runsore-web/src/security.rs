//! The safety layer every request passes: the Host allow-list (DNS rebinding), access token,
//! cross-site checks, CSRF cookie, headers.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::error::AppError;

const CSRF_COOKIE: &str = "rs_csrf";
const TOKEN_COOKIE: &str = "rs_token";
/// The name of the hidden form field (and of the header for scripts) that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header scripts use instead of the form field.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Scripts and styles only from the app itself; inline `style` attributes are not used, so no
/// `unsafe-inline` is needed anywhere.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
                   object-src 'none'";

/// The CSRF token expected in every form of this request's page, derived from the cookie.
#[derive(Debug, Clone)]
pub struct Csrf(pub String);

/// 32 random bytes from the operating system, with a hasher-seeded fallback where there is no
/// `/dev/urandom` (the fallback is still unpredictable enough for a per-process secret).
pub fn random_bytes() -> [u8; 32] {
    let mut out = [0u8; 32];
    if let Ok(mut f) = std::fs::File::open("/dev/urandom")
        && f.read_exact(&mut out).is_ok()
    {
        return out;
    }
    let mut hasher = blake3::Hasher::new();
    for i in 0..8u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(i);
        hasher.update(&h.finish().to_le_bytes());
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    hasher.update(&nanos.to_le_bytes());
    *hasher.finalize().as_bytes()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value of a cookie, if the request has it.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares two secrets without leaking where they differ (blake3 hashes compare in constant time).
pub fn same_secret(a: &str, b: &str) -> bool {
    blake3::hash(a.as_bytes()) == blake3::hash(b.as_bytes())
}

/// A new CSRF cookie value: the keyed hash of a per-process counter, unpredictable without the
/// secret and cheaper than asking the operating system for randomness on every first visit.
fn fresh_cookie(state: &AppState) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut h = blake3::Hasher::new_keyed(&state.inner.secret);
    h.update(b"csrf-cookie");
    h.update(&n.to_le_bytes());
    hex(h.finalize().as_bytes())
}

fn csrf_for(state: &AppState, cookie: &str) -> String {
    hex(blake3::keyed_hash(&state.inner.secret, cookie.as_bytes()).as_bytes())
}

/// Checks a submitted CSRF token against the one this request's cookie calls for.
pub fn check_csrf(expected: &Csrf, submitted: Option<&str>) -> Result<(), AppError> {
    match submitted {
        Some(s) if same_secret(s, &expected.0) => Ok(()),
        _ => Err(AppError::Forbidden(
            "this form has expired or came from another site; reload the page and try again".into(),
        )),
    }
}

/// The decoded value of a query parameter: the printed URL percent-encodes the token, so it
/// must be decoded before it is compared.
fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
}

/// The shortest access token accepted.
pub const MIN_TOKEN_LEN: usize = 16;

/// Checks an access token: at least [`MIN_TOKEN_LEN`] characters, none of them whitespace or
/// control characters (a token of sixteen spaces was once accepted).
pub fn check_token(token: &str) -> Result<(), String> {
    if token.chars().count() < MIN_TOKEN_LEN {
        return Err(format!(
            "an access token of at least {MIN_TOKEN_LEN} characters is required"
        ));
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("the access token must not contain spaces or control characters".into());
    }
    Ok(())
}

/// The token percent-encoded for a URL's query.
pub fn url_token(token: &str) -> String {
    percent_encoding::utf8_percent_encode(token, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// What the token cookie holds: a keyed hash of the token, so the cookie never carries the token
/// itself (nor characters a cookie cannot hold).
fn token_cookie_value(state: &AppState, token: &str) -> String {
    let mut h = blake3::Hasher::new_keyed(&state.inner.secret);
    h.update(b"access-token");
    h.update(token.as_bytes());
    hex(h.finalize().as_bytes())
}

/// The names this server answers to when no token is set: loopback, at the bound port. A page
/// on another name that DNS points at 127.0.0.1 (DNS rebinding) is refused, so it can neither
/// read the runner's data nor write to it.
fn host_allowed(req: &Request, bound_port: Option<u16>) -> bool {
    let host = req
        .uri()
        .authority()
        .map(|a| a.as_str())
        .or_else(|| req.headers().get(header::HOST)?.to_str().ok());
    let Some(host) = host else {
        // Browsers always send Host; only a router test without a bound port omits it.
        return bound_port.is_none();
    };
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, Some(port)),
        _ => (host, None),
    };
    let name_ok = ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n));
    let port_ok = match (bound_port, port) {
        (None, _) => true,
        (Some(bound), Some(p)) => p.parse::<u16>() == Ok(bound),
        (Some(bound), None) => bound == 80,
    };
    name_ok && port_ok
}

/// Why an `/api` write is refused for its content type, if it is.
///
/// The API takes no CSRF token, so that `curl` on loopback needs nothing but the right type. A
/// page on another site can send only the "simple" types (`text/plain`,
/// `application/x-www-form-urlencoded`, `multipart/form-data`, or none) without asking first;
/// any other type makes the browser send a CORS preflight (`OPTIONS`), which this server never
/// grants. So JSON must say `application/json` and a raw file `application/octet-stream`.
/// `multipart/form-data` stays (`curl -F`): a browser that sends it cross-site also sends
/// `Sec-Fetch-Site` or `Origin`, which [`guard`] checks before this.
fn api_write_refused(headers: &HeaderMap) -> Option<AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "application/octet-stream" | "multipart/form-data" => None,
        _ => Some(AppError::Unsupported(format!(
            "send JSON with Content-Type: application/json (or a file as \
             application/octet-stream or multipart/form-data), not {}: a type a form on another \
             site could send",
            if content_type.is_empty() {
                "none".to_string()
            } else {
                format!("{content_type:?}")
            }
        ))),
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// The middleware: refuses requests without the access token (when one is set) and cross-site
/// writes, hands handlers the CSRF token, and adds the security headers to every response.
pub async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let mut set_cookies: Vec<String> = Vec::new();

    if state.inner.access_token.is_none() && !host_allowed(&req, state.inner.bound_port) {
        return with_headers(
            AppError::Forbidden(
                "this address is not runsore's: open it at http://127.0.0.1 with its port".into(),
            )
            .into_response_for(api),
            &[],
        );
    }

    if let Some(token) = &state.inner.access_token {
        let headers = req.headers();
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let cookie_value = token_cookie_value(&state, token);
        let from_cookie =
            cookie(headers, TOKEN_COOKIE).is_some_and(|c| same_secret(c, &cookie_value));
        let from_query = req.uri().query().and_then(|q| query_param(q, "token"));
        let query_ok = from_query.as_deref().is_some_and(|t| same_secret(t, token));
        let ok = from_cookie || query_ok || bearer.is_some_and(|t| same_secret(t, token));
        if !ok {
            return with_headers(AppError::Unauthorized.into_response_for(api), &[]);
        }
        if query_ok {
            set_cookies.push(format!(
                "{TOKEN_COOKIE}={cookie_value}; Path=/; HttpOnly; SameSite=Strict"
            ));
        }
    }

    if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let headers = req.headers();
        // Browsers say where a request came from in Sec-Fetch-Site; older ones only in Origin.
        let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let foreign = match (fetch_site, origin, host) {
            (Some(site), _, _) => !matches!(site, "same-origin" | "none"),
            (None, Some("null"), _) => true,
            (None, Some(origin), Some(host)) => {
                origin.split("://").nth(1).unwrap_or(origin) != host
            }
            _ => false,
        };
        if foreign {
            return with_headers(
                AppError::Forbidden("requests from other sites are not accepted".into())
                    .into_response_for(api),
                &[],
            );
        }
    }

    if api
        && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && let Some(refused) = api_write_refused(req.headers())
    {
        return with_headers(refused.into_response_for(true), &set_cookies);
    }

    // The API and the assets take no forms, so they need no CSRF cookie.
    let path = req.uri().path();
    if api || path.starts_with("/assets/") {
        let is_asset = !api;
        let mut response = next.run(req).await;
        if !is_asset {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        return with_headers(response, &set_cookies);
    }
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned);
    let csrf_cookie = match existing {
        Some(c) => c,
        None => {
            let fresh = fresh_cookie(&state);
            set_cookies.push(format!(
                "{CSRF_COOKIE}={fresh}; Path=/; HttpOnly; SameSite=Strict"
            ));
            fresh
        }
    };
    req.extensions_mut()
        .insert(Csrf(csrf_for(&state, &csrf_cookie)));
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    with_headers(response, &set_cookies)
}

fn with_headers(mut response: Response, cookies: &[String]) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; rs_csrf=abc; b=2"),
        );
        assert_eq!(cookie(&h, "rs_csrf"), Some("abc"));
        assert_eq!(cookie(&h, "rs_token"), None);
    }

    #[test]
    fn a_token_of_spaces_or_too_short_is_refused() {
        assert!(check_token(&" ".repeat(16)).is_err());
        assert!(check_token("short").is_err());
        assert!(check_token("correct horse battery staple").is_err());
        assert!(check_token("correct-horse-battery-staple").is_ok());
    }

    #[test]
    fn the_printed_token_is_percent_encoded_and_decoded_back() {
        let token = "a&b=c d+e%f/#?0123456789";
        let url = url_token(token);
        assert!(
            url.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'%'),
            "{url}"
        );
        assert_eq!(
            query_param(&format!("x=1&token={url}"), "token").as_deref(),
            Some(token)
        );
    }

    #[test]
    fn random_bytes_differ() {
        assert_ne!(random_bytes(), random_bytes());
    }
}
