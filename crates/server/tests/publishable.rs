//! Publishable keys, the onboarding widget's: they sit in a public page, so they create customers and do
//! nothing else, only from their own origins, within a per-address limit, and CORS answers only those
//! origins. Over HTTP against the real `clearance serve` process.

use clearance_testkit::{CLEAN, Client, Options, Server, individual};
use reqwest::{Method, StatusCode};

const SHOP: &str = "https://shop.example";

/// A customer as the widget sends it: no external_id, config or metadata.
fn widget_body() -> serde_json::Value {
    let mut body = individual(CLEAN);
    if let Some(fields) = body.as_object_mut() {
        fields.remove("external_id");
    }
    body
}

/// POSTs `body` as a page on the shop would.
async fn create_from_shop(widget: &Client, body: &serde_json::Value) -> clearance_testkit::Reply {
    widget
        .send(
            Method::POST,
            "/v1/customers",
            Some(body),
            &[("Origin", SHOP)],
        )
        .await
}

fn start(extra: &[&str]) -> Server {
    let mut options = Options::new(env!("CARGO_BIN_EXE_clearance"));
    options.extra.extend(extra.iter().map(|s| (*s).to_owned()));
    Server::start(options)
}

#[tokio::test]
async fn a_publishable_key_creates_from_its_origins_and_does_nothing_else() {
    let server = start(&["--publishable-rate", "0"]);
    let key = server.publishable_key(&[SHOP]);
    assert!(key.starts_with("pk_"), "{key}");
    let widget = Client::new(&server.url, Some(key));
    let from_shop = [("Origin", SHOP)];
    let body = widget_body();
    let created = widget
        .send(Method::POST, "/v1/customers", Some(&body), &from_shop)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let id = created.body["data"]["id"].as_str().unwrap().to_owned();

    for (method, path) in [
        (Method::GET, "/v1/customers".to_owned()),
        (Method::GET, format!("/v1/customers/{id}")),
        (Method::GET, format!("/v1/customers/{id}/unmasked")),
        (Method::GET, format!("/v1/customers/{id}/review")),
        (Method::PUT, format!("/v1/customers/{id}")),
        (Method::DELETE, format!("/v1/customers/{id}")),
    ] {
        let body = (method == Method::PUT).then(widget_body);
        let refused = widget
            .send(method.clone(), &path, body.as_ref(), &from_shop)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{method} {path}");
    }

    for (field, value) in [
        ("config", serde_json::json!({"processing_method": "skip"})),
        ("external_id", serde_json::json!("someone-elses-id")),
        ("metadata", serde_json::json!({"tier": "gold"})),
    ] {
        let mut body = individual(CLEAN);
        if let Some(fields) = body.as_object_mut() {
            fields.remove("external_id");
            fields.insert(field.to_owned(), value);
        }
        let refused = widget
            .send(Method::POST, "/v1/customers", Some(&body), &from_shop)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{field}");
    }

    let elsewhere = widget
        .send(
            Method::POST,
            "/v1/customers",
            Some(&widget_body()),
            &[("Origin", "https://evil.example")],
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let nowhere = widget
        .send(Method::POST, "/v1/customers", Some(&widget_body()), &[])
        .await;
    assert_eq!(nowhere.status, StatusCode::FORBIDDEN, "no Origin, no use");
    let own = server.url.clone();
    let from_clearance = widget
        .send(
            Method::POST,
            "/v1/customers",
            Some(&widget_body()),
            &[("Origin", own.as_str())],
        )
        .await;
    assert_eq!(
        from_clearance.status,
        StatusCode::CREATED,
        "the widget's frame is served by Clearance itself: {}",
        from_clearance.text
    );
}

#[tokio::test]
async fn cors_answers_only_the_origins_of_live_publishable_keys() {
    let server = start(&[]);
    server.publishable_key(&[SHOP]);
    let http = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        http.request(Method::OPTIONS, format!("{}/v1/customers", server.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight(SHOP).await.unwrap();
    assert_eq!(allowed.status(), StatusCode::NO_CONTENT);
    assert_eq!(allowed.headers()["access-control-allow-origin"], SHOP);
    let methods = allowed.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap();
    assert!(methods.contains("POST"), "{methods}");
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let listing = http
        .request(Method::OPTIONS, format!("{}/v1/customers", server.url))
        .header("Origin", SHOP)
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(
        listing
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "a widget page may create customers, not list them"
    );
    let plain = http
        .get(format!("{}/v1/watchlists/index", server.url))
        .send()
        .await
        .unwrap();
    let vary: Vec<_> = plain.headers().get_all("vary").iter().collect();
    assert!(
        vary.iter().any(|v| *v == "origin"),
        "caches keep answers with and without CORS apart: {vary:?}"
    );

    let index = http
        .get(format!("{}/v1/watchlists/index", server.url))
        .header("Origin", SHOP)
        .send()
        .await
        .unwrap();
    assert_eq!(index.headers()["access-control-allow-origin"], SHOP);
    let staff_path = http
        .get(format!("{}/v1/health", server.url))
        .header("Origin", SHOP)
        .send()
        .await
        .unwrap();
    assert!(
        staff_path
            .headers()
            .get("access-control-allow-origin")
            .is_none(),
        "only the widget's paths answer CORS"
    );
}

#[tokio::test]
async fn creates_with_a_publishable_key_are_limited_per_address() {
    let server = start(&["--publishable-rate", "0.001", "--publishable-burst", "2"]);
    let widget = Client::new(&server.url, Some(server.publishable_key(&[SHOP])));
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(create_from_shop(&widget, &widget_body()).await.status);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::CREATED,
            StatusCode::CREATED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    let staff = server.client("analyst");
    assert_eq!(
        staff.get("/v1/customers").await.status,
        StatusCode::OK,
        "staff keys from the same address are not limited by it"
    );
}

#[test]
fn the_cli_refuses_a_publishable_key_without_origins_and_origins_on_staff_keys() {
    let server = start(&[]);
    let bin = env!("CARGO_BIN_EXE_clearance");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(["keys", "create", "--db"])
            .arg(&server.db)
            .args(args)
            .output()
            .unwrap()
    };
    let bare = run(&["--role", "publishable"]);
    assert!(!bare.status.success());
    assert!(String::from_utf8_lossy(&bare.stderr).contains("--origin"));
    let staff = run(&["--role", "analyst", "--origin", SHOP]);
    assert!(!staff.status.success());
    let path = run(&[
        "--role",
        "publishable",
        "--origin",
        "https://shop.example/signup",
    ]);
    assert!(!path.status.success());
    assert!(String::from_utf8_lossy(&path.stderr).contains("not an origin"));
}

#[tokio::test]
async fn only_the_origins_of_the_frames_key_may_embed_the_widget_frame_and_the_device_is_the_connection()
 {
    let server = start(&["--publishable-rate", "0"]);
    let key = server.publishable_key(&[SHOP, "http://localhost:3000"]);
    let admin_key = server.key("admin");
    let anyone = Client::new(&server.url, None);
    let policy = |reply: &clearance_testkit::Reply| {
        reply.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let frame = anyone
        .get(&format!(
            "/widget/frame?key={key}&origin=http://localhost:3000"
        ))
        .await;
    assert_eq!(frame.status, StatusCode::OK);
    assert!(
        policy(&frame).ends_with("frame-ancestors http://localhost:3000"),
        "{}",
        policy(&frame)
    );
    assert!(frame.headers.get("x-frame-options").is_none());
    for refused in [
        "/widget/frame".to_owned(),
        format!("/widget/frame?key={key}"),
        format!("/widget/frame?key={key}&origin=https://evil.example"),
        "/widget/frame?key=pk_unknown&origin=https://shop.example".to_owned(),
        format!("/widget/frame?key={admin_key}&origin=https://shop.example"),
    ] {
        let reply = anyone.get(&refused).await;
        assert!(
            policy(&reply).ends_with("frame-ancestors 'none'"),
            "{refused}: {}",
            policy(&reply)
        );
    }
    let loader = anyone.get("/widget/clearance-widget.js").await;
    assert_eq!(loader.status, StatusCode::OK);
    assert_eq!(loader.headers["access-control-allow-origin"], "*");

    let mut body = widget_body();
    body["device"] = serde_json::json!({"ip_address": "203.0.113.9"});
    let widget = Client::new(&server.url, Some(key));
    let created = create_from_shop(&widget, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["data"]["device"]["ip_address"], "127.0.0.1");
}
