//! The dashboard: one HTML page, a style sheet and a script, embedded in the binary and
//! served at `/` and `/assets/{name}`.
//!
//! The page draws everything itself from the JSON API (`/v1/dyads`, the series route and
//! `/v1/events?evidence=true`) as SVG; it loads nothing from other hosts, and the
//! `Content-Security-Policy` header keeps it that way.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The page.
const INDEX_HTML: &str = include_str!("../assets/index.html");

/// `(name, content type, body)` of every file under `/assets/`.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "dashboard.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/dashboard.js"),
    ),
    (
        "dashboard.css",
        "text/css; charset=utf-8",
        include_str!("../assets/dashboard.css"),
    ),
];

/// Only this server's own files and API; no inline script.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                   connect-src 'self'; img-src 'self' data:; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

/// `GET /`: the dashboard page.
pub(crate) async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

/// `GET /assets/{name}`: a script or style sheet of the dashboard; 404 for other names.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => {
            ApiError::new(StatusCode::NOT_FOUND, format!("no asset named {name:?}")).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refers_only_to_embedded_assets() {
        for (name, _, _) in ASSETS {
            assert!(INDEX_HTML.contains(&format!("/assets/{name}")), "{name}");
        }
        // Nothing is fetched from another host.
        for text in std::iter::once(INDEX_HTML).chain(ASSETS.iter().map(|a| a.2)) {
            assert!(!text.contains("https://"), "an asset names an outside URL");
            assert!(!text.contains("//cdn"), "an asset names a CDN");
        }
    }
}
