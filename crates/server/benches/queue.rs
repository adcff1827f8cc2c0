//! Review queue and audit export benchmark (issue 14), the release `clearance serve` on loopback.
//!
//! 1. Seeding: 5,000 customers created over HTTP with the names of listed individuals (each lands in
//!    review with a real screening), 1,000 with names from the negatives-us set, then clean customers
//!    added in SQL for 100,000 in all; the audit log copied in SQL to 1,000,000 events. Every customer in
//!    review is assigned over HTTP to one of five analysts.
//! 2. The queue: `status=review&sort_by=score&assignee=me` (page of 50) with each analyst's key in turn,
//!    and the other queue shapes, one query at a time; p50 and p99.
//! 3. The audit export of all 1,000,000 events, NDJSON and CSV: events a second, and the server's peak
//!    memory over the export (reset just before).
//!
//! `make bench` runs it; the figures go in the README. It asserts nothing about time.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clearance_testkit::load::in_flight;
use clearance_testkit::timing::{ms, percentile};
use clearance_testkit::{
    Options, Server, individuals_as_written, negatives_us_names, shared_snapshot,
};
use futures_util::StreamExt;
use serde_json::{Value, json};

const IN_REVIEW: usize = 5_000;
const CLEAN_OVER_HTTP: usize = 1_000;
const CUSTOMERS: usize = 100_000;
const EVENTS: i64 = 1_000_000;
const ANALYSTS: usize = 5;
const IN_FLIGHT: usize = 32;
const REPEATS: usize = 500;

fn serve(db: &Path) -> Server {
    Server::start(Options {
        db: Some(db.to_path_buf()),
        log_level: "warn",
        ..Options::new(env!("CARGO_BIN_EXE_clearance"))
    })
}

/// Individuals of the 2024 SDN list, named as a customer writes a name.
fn listed_names() -> Vec<String> {
    individuals_as_written(&shared_snapshot("ofac-sdn-2024-05-03").entities)
}

/// Creates a customer named `name` and returns its status.
async fn create(client: &reqwest::Client, url: &str, key: &str, i: usize, name: &str) -> String {
    let body = json!({
        "type": "individual",
        "name": name,
        "email": format!("queue{i}@example.com"),
        "phone": "+12128675309",
        "device": {"ip_address": "192.0.2.1"},
    });
    let response = client
        .post(format!("{url}/v1/customers"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    created["data"]["status"].as_str().unwrap().to_owned()
}

/// Creates `count` customers over HTTP, `IN_FLIGHT` at a time, named from `names` in turn and numbered
/// from `first`.
async fn create_all(
    client: &reqwest::Client,
    server: &Server,
    key: &str,
    names: &Arc<Vec<String>>,
    first: usize,
    count: usize,
) {
    let (http, url, key, names) = (
        client.clone(),
        server.url.clone(),
        key.to_owned(),
        Arc::clone(names),
    );
    in_flight(IN_FLIGHT, count, move |i| {
        let (http, url, key, names) = (http.clone(), url.clone(), key.clone(), Arc::clone(&names));
        async move {
            create(&http, &url, &key, first + i, &names[i % names.len()]).await;
        }
    })
    .await;
}

/// Adds clean customers in SQL up to `CUSTOMERS`, copies of a clean one named from the negatives set, and
/// copies the audit log's rows up to `EVENTS`.
fn fill(db: &Path, negatives: &[String]) {
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    let stored: i64 = tx
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    let (profile, review_id, at): (String, String, String) = tx
        .query_row(
            "SELECT profile, review_id, created_at FROM customers WHERE status = 'verified' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    {
        let mut customer = tx
            .prepare(
                "INSERT INTO customers (id, type, status, name, name_key, email, email_key, phone,
                     created_at, updated_at, version, review_id, profile)
                 VALUES (?1, 'individual', 'verified', ?2, lower(?2), ?3, ?3, '+12128675309', ?4, ?4, 1,
                     ?5, ?6)",
            )
            .unwrap();
        for i in stored as usize..CUSTOMERS {
            customer
                .execute(rusqlite::params![
                    format!("fill-{i:07}"),
                    negatives[i % negatives.len()],
                    format!("fill{i}@example.com"),
                    at,
                    review_id,
                    profile
                ])
                .unwrap();
        }
    }
    loop {
        let events: i64 = tx
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
            .unwrap();
        if events >= EVENTS {
            break;
        }
        tx.execute(
            "INSERT INTO events (customer_id, at, action, actor, role, status_before, status_after,
                 api_request_id, request_id, correlation_id, fields, review_id, entities, note)
             SELECT customer_id, at, action, actor, role, status_before, status_after, api_request_id,
                 request_id, correlation_id, fields, review_id, entities, note
             FROM events ORDER BY id LIMIT ?1",
            [EVENTS - events],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").ok();
}

/// `GET {url}{path}` with `key`, as JSON.
async fn get_json(client: &reqwest::Client, url: &str, path: &str, key: &str) -> Value {
    client
        .get(format!("{url}{path}"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The ids of every customer in review, a page of 1,000 at a time.
async fn in_review(client: &reqwest::Client, url: &str, key: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut page = 1;
    loop {
        let path = format!("/v1/customers?status=review&page_size=1000&page_number={page}");
        let listed = get_json(client, url, &path, key).await;
        let rows = listed["data"].as_array().unwrap();
        if rows.is_empty() {
            return ids;
        }
        ids.extend(rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        page += 1;
    }
}

/// Times `REPEATS` queries, each with the next of `keys`; returns (p50, p99, rows of the last page).
async fn time_query(
    client: &reqwest::Client,
    url: &str,
    keys: &[String],
    query: &str,
) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(REPEATS);
    let mut rows = 0;
    for i in 0..REPEATS {
        let sent = Instant::now();
        let response = client
            .get(format!("{url}/v1/customers?{query}"))
            .bearer_auth(&keys[i % keys.len()])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        times.push(sent.elapsed());
        rows = body["data"].as_array().unwrap().len();
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99), rows)
}

/// What one export took.
struct Exported {
    lines: usize,
    bytes: usize,
    seconds: f64,
    /// The largest of the server's anonymous memory, sampled every 64 chunks received, in MiB.
    anonymous_peak: f64,
}

/// Streams the export in `format`, sampling the server's memory as it goes.
async fn export(client: &reqwest::Client, server: &Server, key: &str, format: &str) -> Exported {
    let started = Instant::now();
    let response = client
        .get(format!("{}/v1/audit/export?format={format}", server.url))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (mut lines, mut bytes, mut anonymous_peak) = (0, 0, server.anonymous_mib());
    let mut body = response.bytes_stream();
    let mut chunks = 0usize;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        chunks += 1;
        if chunks.is_multiple_of(64) {
            anonymous_peak = anonymous_peak.max(server.anonymous_mib());
        }
    }
    Exported {
        lines,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
        anonymous_peak,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    let client = reqwest::Client::new();
    let started = Instant::now();

    let server = serve(&db);
    let admin = server.key("admin");
    let listed = Arc::new(listed_names());
    let negatives = Arc::new(negatives_us_names());
    create_all(&client, &server, &admin, &listed, 0, IN_REVIEW).await;
    create_all(
        &client,
        &server,
        &admin,
        &negatives,
        IN_REVIEW,
        CLEAN_OVER_HTTP,
    )
    .await;
    let analysts: Vec<String> = (0..ANALYSTS).map(|_| server.key("analyst")).collect();
    drop(server);
    fill(&db, &negatives);

    let server = serve(&db);
    let url = server.url.clone();
    let reviews = Arc::new(in_review(&client, &url, &admin).await);
    let assignees = Arc::new(analysts.clone());
    let (http, base, ids) = (client.clone(), url.clone(), Arc::clone(&reviews));
    in_flight(IN_FLIGHT, reviews.len(), move |i| {
        let (http, base, ids, keys) = (
            http.clone(),
            base.clone(),
            Arc::clone(&ids),
            Arc::clone(&assignees),
        );
        async move {
            let response = http
                .post(format!("{base}/v1/customers/{}/review/assign", ids[i]))
                .bearer_auth(&keys[i % keys.len()])
                .json(&json!({"assignee": "me"}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
        }
    })
    .await;
    let someone = get_json(&client, &url, "/v1/api_keys/current", &analysts[0]).await["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    println!(
        "## Review queue: {CUSTOMERS} customers, {} in review assigned to {ANALYSTS} analysts, {EVENTS} audit events\n\nSeeded in {:.0} s.\n",
        reviews.len(),
        started.elapsed().as_secs_f64()
    );
    println!("| queue query (page of 50, one at a time, {REPEATS} each) | p50 | p99 | rows |");
    println!("|---|---:|---:|---:|");
    let admins = [admin.clone()];
    for (label, query, keys) in [
        (
            "`status=review&sort_by=score&assignee=me` (each analyst in turn)",
            "status=review&sort_by=score&sort_order=desc&assignee=me&page_size=50".to_owned(),
            analysts.as_slice(),
        ),
        (
            "`status=review&sort_by=score&assignee=<key id>`",
            format!("status=review&sort_by=score&sort_order=desc&assignee={someone}&page_size=50"),
            admins.as_slice(),
        ),
        (
            "`status=review&sort_by=score` (the whole queue)",
            "status=review&sort_by=score&sort_order=desc&page_size=50".to_owned(),
            admins.as_slice(),
        ),
        (
            "`status=review&sort_by=review_age&assignee=me`",
            "status=review&sort_by=review_age&sort_order=desc&assignee=me&page_size=50".to_owned(),
            analysts.as_slice(),
        ),
    ] {
        let (p50, p99, rows) = time_query(&client, &url, keys, &query).await;
        println!("| {label} | {} | {} | {rows} |", ms(p50), ms(p99));
    }

    println!(
        "\n| audit export of every event | events | MB | seconds | events/s | server heap during it (before) | server resident peak, with the mapped database (before) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for format in ["ndjson", "csv"] {
        let (_, resident) = server.memory_mib();
        let heap = server.anonymous_mib();
        server.reset_peak_memory();
        let done = export(&client, &server, &admin, format).await;
        let (peak, _) = server.memory_mib();
        let events = if format == "csv" {
            done.lines - 1
        } else {
            done.lines
        };
        println!(
            "| {format} | {events} | {:.0} | {:.1} | {:.0} | {:.0} MiB ({heap:.0} MiB) | {peak:.0} MiB ({resident:.0} MiB) |",
            done.bytes as f64 / 1e6,
            done.seconds,
            events as f64 / done.seconds,
            done.anonymous_peak,
        );
    }
}
