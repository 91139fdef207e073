//! The dashboard page: three files written for outcry, compiled into the
//! binary so `outcry serve` works on a machine with no internet and no
//! install step, and nothing is fetched from anywhere but this server.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

pub const INDEX_HTML: &str = include_str!("page/index.html");
pub const APP_JS: &str = include_str!("page/app.js");
pub const STYLE_CSS: &str = include_str!("page/style.css");

/// Only this server may supply scripts, styles and data, and no other site
/// may frame the page: a post's text that slipped past escaping still could
/// not load or send anything.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The files change only with the binary; a restart after an upgrade
    // must not keep serving the old script.
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

pub async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

pub async fn script() -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8")
}

pub async fn style() -> Response {
    asset(STYLE_CSS, "text/css; charset=utf-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_loads_only_its_own_files() {
        assert!(INDEX_HTML.contains(r#"<script src="/app.js""#));
        assert!(INDEX_HTML.contains(r#"href="/style.css""#));
        for text in [INDEX_HTML, APP_JS, STYLE_CSS] {
            // The SVG namespace is a name, not a fetch.
            let text = text.replace("http://www.w3.org/2000/svg", "");
            assert!(!text.contains("http://"), "no absolute URLs");
            assert!(!text.contains("https://"), "no absolute URLs");
        }
        // Text from posts goes in with textContent, never as markup.
        assert!(!APP_JS.contains("innerHTML"));
    }
}
