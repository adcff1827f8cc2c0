//! The HTTP surface holds up to careless and hostile clients: slow headers are cut off, oversized bodies
//! get 413, unknown API paths a JSON 404, every response its security headers, customer data no cache,
//! and key guessing a per-address limit. Over HTTP against the real `clearance serve` process.

use std::time::Duration;

use clearance_testkit::{CLEAN, Client, Options, Server, individual};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn options() -> Options {
    Options::new(env!("CARGO_BIN_EXE_clearance"))
}

/// Far above any wait the server should impose; a test that reaches it has failed.
const GUARD: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let server = Server::start(Options {
        extra: vec![
            "--rate-limit".into(),
            "0".into(),
            "--header-read-timeout".into(),
            "1".into(),
        ],
        ..options()
    });
    let address = server.url.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /v1/health HTTP/1.1\r\nHost: clearance\r\n")
        .await
        .unwrap();
    let mut silent = tokio::net::TcpStream::connect(&address).await.unwrap();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(GUARD, slow.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the server kept a connection whose headers never ended"
    );
    let closed = tokio::time::timeout(GUARD, silent.read_to_end(&mut rest)).await;
    assert!(
        closed.is_ok(),
        "the server kept a connection that never sent a byte"
    );
    let healthy = server.anonymous().get("/v1/health").await;
    assert_eq!(healthy.status, StatusCode::OK, "others are still served");
}

#[tokio::test]
async fn an_oversized_body_gets_413_in_the_error_envelope() {
    let server = Server::start(options());
    let analyst = server.client("analyst");
    let mut body = individual(CLEAN);
    body["name"] = serde_json::json!("x".repeat(3 * 1024 * 1024));
    let reply = analyst.post("/v1/customers", &body).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text
    );
    assert_eq!(reply.error_type(), "payload_too_large");
}

#[tokio::test]
async fn unknown_api_paths_are_a_json_404_and_console_pages_carry_a_csp() {
    let console = tempfile::tempdir().unwrap();
    std::fs::write(
        console.path().join("index.html"),
        "<!doctype html><title>c</title>",
    )
    .unwrap();
    let server = Server::start(Options {
        console: Some(console.path().to_path_buf()),
        ..options()
    });
    let anonymous = server.anonymous();
    let missing = anonymous.get("/v1/no/such/endpoint").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_type(), "not_found");
    assert_eq!(missing.headers["content-type"], "application/json");

    let page = anonymous.get("/customers/some-id").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "client-side routes get the console"
    );
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    for reply in [&missing, &page] {
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        assert_eq!(reply.headers["referrer-policy"], "no-referrer");
    }
}

#[tokio::test]
async fn every_response_with_customer_data_says_no_store() {
    let server = Server::start(options());
    let analyst = server.client("analyst");
    let id = analyst.create(&individual(CLEAN)).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        format!("/v1/customers/{id}"),
        format!("/v1/customers/{id}/review"),
        format!("/v1/customers/{id}/events"),
        format!("/v1/compliance/status/{id}"),
        format!("/v1/easyofac/customers/{id}"),
        "/v1/customers".to_owned(),
    ] {
        let reply = analyst.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.headers["cache-control"], "no-store", "{path}");
    }
    let created = analyst.post("/v1/customers", &individual(CLEAN)).await;
    assert_eq!(created.headers["cache-control"], "no-store");
    let index = server.anonymous().get("/v1/watchlists/index").await;
    assert_eq!(
        index.headers["cache-control"], "public, max-age=0, must-revalidate",
        "the public list index may be cached and revalidated"
    );
}

#[tokio::test]
async fn failed_authentication_is_limited_per_client_address() {
    // One failure per 1,000 s after a burst of 3: nothing refills while the test runs.
    let server = Server::start(Options {
        extra: vec![
            "--rate-limit".into(),
            "0".into(),
            "--auth-failure-rate".into(),
            "0.001".into(),
            "--auth-failure-burst".into(),
            "3".into(),
        ],
        ..options()
    });
    let guesser = Client::new(&server.url, Some(format!("clr_{}", "0".repeat(64))));
    for attempt in 0..3 {
        let reply = guesser.get("/v1/customers").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let limited = guesser.get("/v1/customers").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    let valid = server.client("viewer");
    assert_eq!(
        valid.get("/v1/customers").await.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a right guess from a limited address is not told apart from a wrong one"
    );
    let elsewhere = Client {
        http: reqwest::Client::builder()
            .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
            .build()
            .unwrap(),
        ..valid
    };
    assert_eq!(
        elsewhere.get("/v1/customers").await.status,
        StatusCode::OK,
        "other addresses are not affected"
    );
}
