//! Load benchmark: the release `clearance serve` on loopback with a fresh SQLite file, driven by this
//! process over HTTP.
//!
//! 1. Screened creates: 100,000 (or `LOAD_CUSTOMERS`) POST /v1/customers (names and dates of birth from the negatives-us
//!    evaluation set, every 100th a listed name), 32 in flight; creates a second, p50 and p99; once with
//!    `--synchronous normal` and once with `full` (the default), each on a fresh database.
//! 2. List queries with those 100,000 customers stored: each query shape repeated, one at a time;
//!    p50 and p99 per shape and over all.
//!
//! A list change is `benches/list_update.rs`.
//!
//! `make bench` runs it; the figures go in the README. It asserts nothing about time.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use clearance_testkit::timing::{ms, percentile};
use clearance_testkit::{Options, Server};
use serde_json::{Value, json};

/// `LOAD_CUSTOMERS` overrides, for a quick look while changing the server.
fn customers() -> usize {
    std::env::var("LOAD_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}
/// `LOAD_SETTINGS=full` skips the `normal` half, for a quicker look at the default's create rate.
fn with_normal() -> bool {
    std::env::var("LOAD_SETTINGS").map_or(true, |settings| settings.contains("normal"))
}
const IN_FLIGHT: usize = 32;
const LIST_REPEATS: usize = 200;
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/");

/// (name, date of birth) from the US negatives set.
fn people() -> Vec<(String, String)> {
    let mut reader = csv::Reader::from_path(format!("{SHARED}eval/negatives-us.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[5].to_owned())
        })
        .collect()
}

fn body(i: usize, person: &(String, String)) -> Value {
    let name = if i.is_multiple_of(100) {
        "Vladimir Putin"
    } else {
        person.0.as_str()
    };
    json!({
        "type": "individual",
        "name": name,
        "email": format!("customer{i}@example.com"),
        "phone": format!("+1212{:07}", i % 10_000_000),
        "device": {"ip_address": "192.0.2.1"},
        "compliance_profile": {"dob": person.1, "ssn": format!("512-44-{:04}", 1 + i % 9_999)},
        "external_id": format!("load-{i}"),
    })
}

/// Creates `count` customers on the server at `url`, `IN_FLIGHT` at a time; prints one table row.
async fn creates(
    url: &str,
    key: &str,
    count: usize,
    people: &Arc<Vec<(String, String)>>,
    label: &str,
) {
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (client, url, key, next, people) = (
                client.clone(),
                url.to_owned(),
                key.to_owned(),
                Arc::clone(&next),
                Arc::clone(people),
            );
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut review = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return (latencies, review);
                    }
                    let body = body(i, &people[i % people.len()]);
                    let sent = Instant::now();
                    let response = client
                        .post(format!("{url}/v1/customers"))
                        .bearer_auth(&key)
                        .json(&body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 201);
                    let created: Value = response.json().await.unwrap();
                    latencies.push(sent.elapsed());
                    if created["data"]["status"] == "review" {
                        review += 1;
                    }
                }
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut review = 0;
    for worker in workers {
        let (l, r) = worker.await.unwrap();
        latencies.extend(l);
        review += r;
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "| {label} | {count} | {:.1} | {:.0} | {} | {} | {review} |",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let count = customers();
    let dir = tempfile::tempdir().unwrap();
    let people = Arc::new(people());

    println!(
        "## Screened creates: {count} customers, {IN_FLIGHT} in flight, each setting on a fresh database\n"
    );
    println!("| synchronous | creates | seconds | creates/s | p50 | p99 | in review |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    if with_normal() {
        let normal = dir.path().join("normal.db");
        let server = serve(&normal, &clearance_testkit::default_lists(), "normal");
        creates(&server.url, &server.key("admin"), count, &people, "NORMAL").await;
        drop(server);
    }
    let db = dir.path().join("load.db");
    let mut server = serve(&db, &clearance_testkit::default_lists(), "full");
    let key = server.key("admin");
    let url = server.url.clone();
    creates(&url, &key, count, &people, "FULL (the default)").await;
    println!();
    let client = reqwest::Client::new();

    println!("## List queries with {count} customers stored, one at a time, {LIST_REPEATS} each\n");
    let shapes = [
        (
            "default page (100, newest first)",
            "/v1/customers".to_owned(),
        ),
        (
            "status=review, by score",
            "/v1/customers?status=review&sort_by=score".to_owned(),
        ),
        (
            "sort_by=name, page 400 of 100",
            "/v1/customers?sort_by=name&sort_order=asc&page_number=400".to_owned(),
        ),
        ("name=partial", "/v1/customers?name=smith".to_owned()),
        (
            "search_text",
            "/v1/customers?search_text=customer4242@".to_owned(),
        ),
        (
            "external_id",
            "/v1/customers?external_id=load-77777".to_owned(),
        ),
        (
            "created range + type",
            "/v1/customers?created_from=2000-01-01&types=individual&page_size=50".to_owned(),
        ),
        ("page_size=1000", "/v1/customers?page_size=1000".to_owned()),
    ];
    println!("| query | p50 | p99 |");
    println!("|---|---:|---:|");
    let mut all = Vec::new();
    for (label, path) in &shapes {
        let mut times = Vec::new();
        for _ in 0..LIST_REPEATS {
            let sent = Instant::now();
            let response = client
                .get(format!("{url}{path}"))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response.bytes().await.unwrap();
            times.push(sent.elapsed());
        }
        times.sort();
        println!(
            "| {label} | {} | {} |",
            ms(percentile(&times, 0.50)),
            ms(percentile(&times, 0.99))
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "| **all shapes** | **{}** | **{}** |",
        ms(percentile(&all, 0.50)),
        ms(percentile(&all, 0.99))
    );
    server.kill();
}

/// Starts the release server on `db` and `lists`, logging only warnings so logging costs nothing
/// measurable; returns once it listens.
fn serve(db: &std::path::Path, lists: &[PathBuf], synchronous: &str) -> Server {
    Server::start(Options {
        lists: lists.to_vec(),
        db: Some(db.to_path_buf()),
        log_level: "warn",
        extra: vec![
            "--rate-limit".into(),
            "0".into(),
            "--synchronous".into(),
            synchronous.into(),
        ],
        ..Options::new(env!("CARGO_BIN_EXE_clearance"))
    })
}
