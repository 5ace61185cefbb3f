//! The stylesheet and the small progressive script, served from the binary.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../assets/app.css");
const JS: &str = include_str!("../assets/app.js");

/// `/assets/app.css?v=...`: the query changes with the content, so browsers never keep a stale
/// stylesheet or script after an upgrade.
pub fn css_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        format!(
            "/assets/app.css?v={}",
            &blake3::hash(CSS.as_bytes()).to_hex()[..12]
        )
    })
}

/// `/assets/app.js?v=...`.
pub fn js_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        format!(
            "/assets/app.js?v={}",
            &blake3::hash(JS.as_bytes()).to_hex()[..12]
        )
    })
}

/// `/assets/app.css`.
pub async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
}

/// `/assets/app.js`.
pub async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
}
