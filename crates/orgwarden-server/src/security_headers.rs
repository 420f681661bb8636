//! Security headers. The pages Jira frames (`/admin`, `/app`) and the SPA's assets carry a
//! Content-Security-Policy: scripts from us and Atlassian's Connect CDN only, framing by Atlassian
//! hosts only (plus cloudsim's host page in demo mode, [`Config::demo_host_origin`]). Every
//! response carries Strict-Transport-Security when the base URL is https.
//!
//! The same setting decides where the SPA loads `all.js` from ([`SecurityHeaders::all_js_url`],
//! written into the page): Atlassian's CDN, or cloudsim's copy in demo mode. The SPA never takes
//! that origin from the query string.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;
use anyhow::{bail, Context};

use crate::config::Config;
use crate::state::AppState;

/// Atlassian's CDN copy of the Connect bridge, loaded inside real Jira Cloud.
pub const ATLASSIAN_ALL_JS: &str = "https://connect-cdn.atl-paas.net/all.js";
const ATLASSIAN_CDN: &str = "https://connect-cdn.atl-paas.net";
const ATLASSIAN_HOSTS: &str = "https://*.atlassian.net https://*.jira.com";
/// One year, as browsers' preload lists expect; no `includeSubDomains`: the operator's other
/// hosts are not ours to decide.
const HSTS: &str = "max-age=31536000";

/// The header values, computed once from the configuration.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: Option<HeaderValue>,
    all_js_url: String,
}

impl SecurityHeaders {
    /// Builds the headers; refuses a demo host origin that is not a bare `http(s)://host[:port]`.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let demo = config
            .demo_host_origin
            .as_deref()
            .map(parse_origin)
            .transpose()?;
        let (scripts, ancestors, all_js_url) = match &demo {
            Some(origin) => (
                format!("{ATLASSIAN_CDN} {origin}"),
                format!("{ATLASSIAN_HOSTS} {origin}"),
                format!("{origin}/connect/all.js"),
            ),
            None => (
                ATLASSIAN_CDN.to_owned(),
                ATLASSIAN_HOSTS.to_owned(),
                ATLASSIAN_ALL_JS.to_owned(),
            ),
        };
        // Atlaskit styles with inline `style` attributes and injected `<style>` elements, and
        // its icons are inline SVG (`data:` images); the API is same-origin.
        let csp = format!(
            "default-src 'self'; script-src 'self' {scripts}; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
             frame-ancestors {ancestors}; object-src 'none'; base-uri 'none'; \
             form-action 'self'"
        );
        let https = config.base_url().starts_with("https://");
        Ok(Self {
            csp: HeaderValue::from_str(&csp).context("Content-Security-Policy")?,
            hsts: https.then(|| HeaderValue::from_static(HSTS)),
            all_js_url,
        })
    }

    /// Where the SPA loads `all.js` from.
    pub fn all_js_url(&self) -> &str {
        &self.all_js_url
    }

    /// The Content-Security-Policy of the pages and assets.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
}

/// The name of the `<meta>` that tells the SPA where `all.js` is (read by `frontend/src/ap.ts`).
pub const ALL_JS_META: &str = "orgwarden-all-js";

/// The SPA's `index.html` with the `all.js` URL written into its head.
pub fn page_html(index: &[u8], all_js_url: &str) -> String {
    let html = String::from_utf8_lossy(index);
    let url = all_js_url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let meta = format!(r#"<meta name="{ALL_JS_META}" content="{url}" />"#);
    match html.find("</head>") {
        Some(at) => format!("{}  {meta}\n  {}", &html[..at], &html[at..]),
        None => format!("{meta}\n{html}"),
    }
}

/// `scheme://host[:port]` of `raw`, or an error naming the setting.
fn parse_origin(raw: &str) -> anyhow::Result<String> {
    let url = url::Url::parse(raw.trim())
        .with_context(|| format!("ORGWARDEN_DEMO_HOST_ORIGIN {raw:?} is not a URL"))?;
    let bare = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() || !bare {
        bail!(
            "ORGWARDEN_DEMO_HOST_ORIGIN must be an origin like http://127.0.0.1:8090, not {raw:?}"
        );
    }
    Ok(url.origin().ascii_serialization())
}

/// Whether a response to `path` gets the Content-Security-Policy: the pages and the SPA's assets.
fn needs_csp(path: &str) -> bool {
    matches!(path, "/admin" | "/app") || path.starts_with("/assets/")
}

/// Middleware adding the headers (never replacing one a handler set).
pub async fn apply(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let headers = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.security.clone());
    let csp = needs_csp(req.path());
    let mut response = next.call(req).await?;
    if let Some(headers) = headers {
        let map = response.headers_mut();
        if csp && !map.contains_key(header::CONTENT_SECURITY_POLICY) {
            map.insert(header::CONTENT_SECURITY_POLICY, headers.csp.clone());
        }
        if let Some(hsts) = &headers.hsts {
            if !map.contains_key(header::STRICT_TRANSPORT_SECURITY) {
                map.insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
            }
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_bare_http_origins() {
        assert_eq!(
            parse_origin("http://127.0.0.1:8090").unwrap(),
            "http://127.0.0.1:8090"
        );
        assert_eq!(
            parse_origin("https://sim.example/").unwrap(),
            "https://sim.example"
        );
        for bad in [
            "127.0.0.1:8090",
            "javascript:alert(1)",
            "http://sim.example/jira",
            "http://sim.example/?x",
            "http://a b",
            "http://sim.example; script-src *",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_page_names_the_all_js_url_in_its_head() {
        let page = page_html(
            b"<html>\n  <head>\n    <title>x</title>\n  </head>\n</html>",
            ATLASSIAN_ALL_JS,
        );
        assert_eq!(
            page,
            "<html>\n  <head>\n    <title>x</title>\n    <meta name=\"orgwarden-all-js\" \
             content=\"https://connect-cdn.atl-paas.net/all.js\" />\n  </head>\n</html>"
        );
        let odd = page_html(b"<p>no head</p>", "http://sim\"<x>&");
        assert!(odd.starts_with(
            r#"<meta name="orgwarden-all-js" content="http://sim&quot;&lt;x>&amp;" />"#
        ));
    }

    #[test]
    fn csp_applies_to_pages_and_assets() {
        assert!(needs_csp("/admin") && needs_csp("/app") && needs_csp("/assets/index.js"));
        assert!(!needs_csp("/api/v1/me") && !needs_csp("/administer"));
    }
}
