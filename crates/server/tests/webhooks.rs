//! Signed webhooks against a real receiver on loopback: the Standard Webhooks reference library verifies
//! every signature, a message refused before a restart is delivered after it, and each customer's
//! messages arrive in the order they happened.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use clearance_testkit::{CLEAN, Client, LISTED, Options, SSN, Server, individual};
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// How long the test waits for a message before it fails: a guard against a hang, far above any retry
/// the test causes, never a synchronisation delay.
const GUARD: Duration = Duration::from_secs(60);

fn options() -> Options {
    Options::new(env!("CARGO_BIN_EXE_clearance"))
}

/// One request the receiver got, and the status it answered.
struct Received {
    headers: HeaderMap,
    body: Bytes,
    answered: StatusCode,
}

/// A webhook receiver on loopback that refuses its first `refuse` requests with 500.
async fn receiver(refuse: usize) -> (String, mpsc::UnboundedReceiver<Received>) {
    let (sender, received) = mpsc::unbounded_channel();
    let seen = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (sender, seen) = (sender.clone(), Arc::clone(&seen));
            async move {
                let answered = if seen.fetch_add(1, Ordering::SeqCst) < refuse {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                };
                let _ = sender.send(Received {
                    headers,
                    body,
                    answered,
                });
                answered
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn next(received: &mut mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(GUARD, received.recv())
        .await
        .expect("a webhook message in time")
        .expect("the receiver runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_are_signed_survive_a_restart_and_keep_each_customers_order() {
    let (url, mut received) = receiver(1).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clearance.db");
    let server = Server::start(Options {
        db: Some(db.clone()),
        ..options()
    });
    let admin = server.client("admin");
    let created = admin
        .post(
            "/v1/webhooks",
            &json!({"url": url, "events": ["customer.created.v1", "customer.event.v1"]}),
        )
        .await;
    assert_eq!(
        created.status,
        reqwest::StatusCode::CREATED,
        "{}",
        created.text
    );
    let webhook = created.body["data"].clone();
    let secret = webhook["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    let verifier = standardwebhooks::Webhook::new(&secret).unwrap();
    let analyst = server.client("analyst");
    let bad = analyst
        .post(
            "/v1/webhooks",
            &json!({"url": url, "events": ["customer.created.v1"]}),
        )
        .await;
    assert_eq!(bad.status, reqwest::StatusCode::FORBIDDEN, "only an admin");

    // The first message is refused; the server dies before its retry.
    let listed = analyst.create(&individual(LISTED)).await;
    let refused = next(&mut received).await;
    assert_eq!(refused.answered, StatusCode::INTERNAL_SERVER_ERROR);
    drop(server);

    let server = Server::start(Options {
        db: Some(db),
        ..options()
    });
    let analyst = Client {
        url: server.url.clone(),
        ..analyst
    };
    let decided = analyst
        .patch(
            &format!("/v1/customers/{}/review", listed["id"].as_str().unwrap()),
            &json!({"status": "verified", "note": "another person"}),
        )
        .await;
    assert_eq!(decided.status, reqwest::StatusCode::OK, "{}", decided.text);
    let clean = analyst.create(&individual(CLEAN)).await;

    // Three messages, each delivered once after the refusal, in order per customer.
    let mut delivered: Vec<Value> = Vec::new();
    while delivered.len() < 3 {
        let message = next(&mut received).await;
        verifier
            .verify(&message.body, &message.headers)
            .expect("a valid Standard Webhooks signature");
        let text = String::from_utf8(message.body.to_vec()).unwrap();
        for secret in [SSN, "Putin", "Swanson", "pawnee.com"] {
            assert!(!text.contains(secret), "no PII in a payload: {text}");
        }
        let payload: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            message.headers["webhook-id"].to_str().unwrap(),
            payload["event_id"].as_str().unwrap()
        );
        delivered.push(payload);
    }
    let retried = delivered
        .iter()
        .find(|m| m["event_id"] == refused.headers["webhook-id"].to_str().unwrap())
        .expect("the refused message is delivered after the restart, under its id");
    assert_eq!(retried["data"]["customer_id"], listed["id"]);
    let of = |id: &Value| -> Vec<(String, String)> {
        delivered
            .iter()
            .filter(|m| m["data"]["customer_id"] == *id)
            .map(|m| {
                (
                    m["event_type"].as_str().unwrap().to_owned(),
                    m["data"]["action"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        of(&listed["id"]),
        [
            ("customer.created.v1".to_owned(), "created".to_owned()),
            ("customer.event.v1".to_owned(), "decided".to_owned())
        ]
    );
    assert_eq!(
        of(&clean["id"]),
        [("customer.created.v1".to_owned(), "created".to_owned())]
    );
    let decision = delivered
        .iter()
        .find(|m| m["data"]["action"] == "decided")
        .unwrap();
    assert_eq!(decision["data"]["status_before"], "review");
    assert_eq!(decision["data"]["status"], "verified");

    // The delivery log shows the retry.
    let admin = Client {
        url: server.url.clone(),
        ..admin
    };
    let log = admin
        .get(&format!(
            "/v1/webhooks/{}/deliveries",
            webhook["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(log.status, reqwest::StatusCode::OK, "{}", log.text);
    let log = log.body["data"].as_array().unwrap().clone();
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|d| d["state"] == "delivered"), "{log:?}");
    let first = log.last().unwrap();
    assert_eq!(first["event_id"], retried["event_id"]);
    assert_eq!(first["last_status"], 204);
}
