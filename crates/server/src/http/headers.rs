//! Headers every response carries: no MIME sniffing and no referrer anywhere; API responses are never
//! cached unless their handler says otherwise (only the public list index is); console pages get a
//! Content-Security-Policy that allows only the server's own scripts and wasm, and no framing; the
//! console's pre-screen worker, whose file names carry no content hash, is revalidated on every load.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The console's policy: its own files and the inline start-up scripts of its page (by hash), wasm
/// compiled by the browser, no plug-ins, no framing, and API calls to any backend the analyst names at
/// sign-in.
pub fn console_policy(index_html: &str) -> HeaderValue {
    let hashes: String = inline_scripts(index_html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; connect-src 'self' http: https:; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII")
}

/// The contents of the `<script>` elements that have no `src`, as the browser hashes them.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, after) = rest.split_once('>')?;
        let (body, _) = after.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

/// Sets the headers; `policy` is the console's Content-Security-Policy.
pub async fn layer(policy: HeaderValue, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let api = path.starts_with("/v1/") || path.starts_with("/api/");
    // The widget's pages set their own policy: its frame is made to be embedded, by the key's origins.
    let widget = path.starts_with("/widget/") || path == "/widget-demo";
    // Trunk names a worker's files after its binary, without a content hash: a cached copy must not
    // outlive the console it came with.
    let unhashed = path.starts_with("/clearance-prescreen");
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if api {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    } else if widget {
        headers
            .entry(header::CONTENT_SECURITY_POLICY)
            .or_insert(policy);
    } else {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        headers.insert(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        );
        if unhashed {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_and_nothing_else_inline() {
        let page = r#"<script type="module">import init from '/c.js'; await init();</script>
            <script src="/other.js"></script><p>text</p>"#;
        let policy = console_policy(page);
        let policy = policy.to_str().unwrap();
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/c.js'; await init();"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(!policy.contains("unsafe-inline"));
    }
}
