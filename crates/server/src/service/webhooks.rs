//! Signed webhooks. An admin registers a URL and the event types it wants; every audited change to a
//! customer puts a message in the outbox in its own transaction (see `store::audit`), and the sender here
//! delivers the outbox: signed to the Standard Webhooks scheme by its reference library, retried with
//! exponential backoff for 24 hours, each customer's messages in order, across restarts.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};
use clearance_api::{
    Envelope, ResponseMeta, ResponseType, Webhook, WebhookDelivery, WebhookRequest,
};

use crate::service::DomainError;
use crate::service::write::{self, Answer, Write, Written};
use crate::state::AppState;
use crate::store::StoreError;
use crate::store::webhooks::{Attempt, Due, Endpoint};

/// The longest URL a webhook may have.
pub const MAX_URL: usize = 2000;
/// How long a message is retried before it is marked failed.
const RETRY_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(24);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// How long a receiver has to answer.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an idle sender looks at the outbox.
const IDLE: Duration = Duration::from_millis(200);
/// Messages taken from the outbox at once.
const BATCH: usize = 32;
/// Deliveries a log page shows.
const LOG_PAGE: usize = 1000;

/// POST /v1/webhooks: registers the webhook and answers with its signing secret, this once.
pub async fn create(
    state: &Arc<AppState>,
    write: Write,
    request: WebhookRequest,
) -> Result<Written, DomainError> {
    // The length as sent, as the OpenAPI document bounds it; the URL kept is trimmed.
    let too_long = request.url.chars().count() > MAX_URL;
    let url = request.url.trim().to_owned();
    let mut problems = Vec::new();
    if too_long || !is_http_url(&url) {
        problems.push((
            "url",
            "must be an http or https URL of at most 2,000 characters",
        ));
    }
    let mut events = request.events;
    events.sort();
    events.dedup();
    if events.is_empty() {
        problems.push(("events", "must name at least one event type"));
    }
    if !problems.is_empty() {
        return Err(DomainError::Validation(
            problems
                .into_iter()
                .map(|(reference, detail)| clearance_api::ErrorItem {
                    reference: reference.to_owned(),
                    detail: detail.to_owned(),
                })
                .collect(),
        ));
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| DomainError::Storage(StoreError::Randomness(e)))?;
    let endpoint = Endpoint {
        id: format!("wh_{}", uuid::Uuid::now_v7().simple()),
        url,
        events,
        created_at: crate::clock::now(),
    };
    write::run(state, write, move |_, tx, _, meta| {
        tx.create_webhook(&endpoint, &key)?;
        let mut shown = Webhook {
            id: endpoint.id.clone(),
            url: endpoint.url.clone(),
            events: endpoint.events.clone(),
            created_at: endpoint.created_at.clone(),
            secret: Some(format!(
                "whsec_{}",
                base64::engine::general_purpose::STANDARD.encode(key)
            )),
        };
        let body = encode(&shown, &meta)?;
        shown.secret = None;
        Ok(Answer {
            status: write::CREATED,
            replay: Some(encode(&shown, &meta)?),
            body,
            customer_id: None,
        })
    })
    .await
}

/// `http://` or `https://` (any case) and something after it, without whitespace: the shape the OpenAPI
/// document states. Whether it leads anywhere shows in the delivery log.
fn is_http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty()) && !url.chars().any(char::is_whitespace)
}

fn encode(webhook: &Webhook, meta: &ResponseMeta) -> Result<Vec<u8>, DomainError> {
    serde_json::to_vec(&Envelope {
        data: webhook,
        meta: meta.clone(),
        response_type: ResponseType::Object,
    })
    .map_err(|e| DomainError::Inconsistent(format!("encoding an answer: {e}")))
}

/// GET /v1/webhooks/{id}/deliveries: the newest deliveries first.
pub async fn deliveries(state: &AppState, id: String) -> Result<Vec<WebhookDelivery>, DomainError> {
    state
        .store
        .read(move |conn| {
            if conn.webhook(&id)?.is_none() {
                return Err(DomainError::NoSuchWebhook(id));
            }
            Ok(conn.deliveries(&id, LOG_PAGE)?)
        })
        .await
}

/// Starts the sender on a thread of its own, which runs as long as the server does.
pub fn start(state: Arc<AppState>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "no runtime for the webhook sender: no webhook will be sent");
            return;
        }
    };
    let spawned = std::thread::Builder::new()
        .name("webhooks".into())
        .spawn(move || runtime.block_on(send_forever(state)));
    if let Err(error) = spawned {
        tracing::error!(%error, "no thread for the webhook sender: no webhook will be sent");
    }
}

/// Delivers the outbox, oldest message first.
async fn send_forever(state: Arc<AppState>) {
    // TLS by rustls with ring's primitives (smaller and quicker to build than aws-lc-rs), trusting the
    // system's certificate authorities. Redirects are not followed: a receiver answers where it was
    // registered.
    let connector = match hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_native_roots(Arc::new(rustls::crypto::ring::default_provider()))
    {
        Ok(builder) => builder.https_or_http().enable_http1().build(),
        Err(error) => {
            tracing::error!(%error, "no TLS for webhooks: none will be sent");
            return;
        }
    };
    let client: Sender =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(connector);
    loop {
        let now = crate::clock::now();
        let due = match state
            .store
            .read(move |conn| conn.due_messages(&now, BATCH))
            .await
        {
            Ok(due) => due,
            Err(error) => {
                let error: StoreError = error;
                tracing::error!(%error, "reading the webhook outbox failed");
                Vec::new()
            }
        };
        if due.is_empty() {
            tokio::time::sleep(IDLE).await;
            continue;
        }
        // A receiver that did not answer is not tried again in this batch: its other messages wait, and
        // the other receivers' go ahead.
        let mut unreachable = std::collections::HashSet::new();
        for message in due {
            if unreachable.contains(&message.webhook_id) {
                continue;
            }
            let outcome = send(&client, &message).await;
            if matches!(outcome, Err((None, _))) {
                unreachable.insert(message.webhook_id.clone());
            }
            let at = crate::clock::now();
            let recorded = state
                .store
                .write(move |tx| {
                    let next = retry_at(&message, &at);
                    let attempt = match &outcome {
                        Ok(status) => Attempt::Delivered(*status),
                        Err((status, error)) => Attempt::Retry {
                            status: *status,
                            error: error.as_deref(),
                            next: next.as_deref(),
                        },
                    };
                    tx.record_attempt(message.seq, &at, &attempt)
                        .map_err(DomainError::from)
                })
                .await;
            if let Err(error) = recorded {
                tracing::error!(%error, "recording a webhook attempt failed");
            }
        }
    }
}

type Sender = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    http_body_util::Full<bytes::Bytes>,
>;

/// One attempt: a 2xx status delivers; otherwise the status, or why there was none (never the driver's
/// message, which may quote the URL and a token in it).
async fn send(client: &Sender, message: &Due) -> Result<u16, (Option<u16>, Option<String>)> {
    let failed = |why: &str| (None, Some(why.to_owned()));
    let secret = match &message.secret {
        Ok(secret) => secret,
        Err(error) => {
            tracing::error!(webhook = %message.webhook_id, %error, "a webhook's signing secret does not open");
            return Err(failed(
                "the signing secret does not open with the server's data keys",
            ));
        }
    };
    let timestamp = Utc::now().timestamp();
    let signature = standardwebhooks::Webhook::from_bytes(secret.clone())
        .and_then(|signer| signer.sign(&message.event_id, timestamp, message.payload.as_bytes()))
        .map_err(|_| failed("the message could not be signed"))?;
    let request = axum::http::Request::post(message.url.trim())
        .header("content-type", "application/json")
        .header(standardwebhooks::HEADER_WEBHOOK_ID, &message.event_id)
        .header(
            standardwebhooks::HEADER_WEBHOOK_TIMESTAMP,
            timestamp.to_string(),
        )
        .header(standardwebhooks::HEADER_WEBHOOK_SIGNATURE, signature)
        .body(http_body_util::Full::new(bytes::Bytes::from(
            message.payload.clone(),
        )))
        .map_err(|_| failed("the URL is not one a request can go to"))?;
    let reply = match tokio::time::timeout(SEND_TIMEOUT, client.request(request)).await {
        Ok(Ok(reply)) => reply,
        Ok(Err(error)) if error.is_connect() => return Err(failed("could not connect")),
        Ok(Err(_)) => return Err(failed("the request failed")),
        Err(_) => return Err(failed("no answer in time")),
    };
    let status = reply.status();
    if status.is_success() {
        Ok(status.as_u16())
    } else {
        Err((Some(status.as_u16()), None))
    }
}

/// When to try `message` again after an attempt at `now`: twice as long after each attempt, from one
/// second up to an hour; none once 24 hours have passed since the event.
fn retry_at(message: &Due, now: &str) -> Option<String> {
    let parse = |t: &str| {
        DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    let (created, now) = (parse(&message.created_at)?, parse(now)?);
    let wait = Duration::from_secs(1u64 << message.attempts.min(12)).min(MAX_BACKOFF);
    let next = now + chrono::TimeDelta::from_std(wait).ok()?;
    (next - created <= RETRY_FOR).then(|| next.to_rfc3339_opts(SecondsFormat::Millis, true))
}
