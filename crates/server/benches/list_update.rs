//! List update benchmark: 1,000,000 stored customers, then OFAC's 2021-07-07 → 2022-01-31 update, with the
//! release `clearance serve` on loopback.
//!
//! 1. Seeding: 20,000 customers created over HTTP on the 2021 list (names from the negatives-us set, every
//!    25th the name of a party one of the two lists holds), then clean customers added in SQL, with first
//!    and last names from different people of that set, for 1,000,000 (or `UPDATE_CUSTOMERS`) in all.
//! 2. The delta re-screen: `POST /v1/watchlists/refresh` once the sources hold the 2022 list; the job's own
//!    start and end times, what it re-screened, and the server's peak memory (VmHWM, reset just before).
//! 3. Start-up on the changed list: from starting the process to `/v1/health` answering, then its job.
//! 4. The full re-screen of the same customers, for the ratio: every screening marked as made on lists
//!    never recorded, which the job re-screens whole.
//!
//! `make bench` runs it; the figures go in the README. It asserts nothing about time.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use clearance_screening::{DEFAULT_THRESHOLD, EntityKind, Index, Memo, Query};
use clearance_testkit::load::in_flight;
use clearance_testkit::{
    Options, Server, individuals_as_written, negatives_us_names, put_lists, shared_snapshot,
};
use serde_json::{Value, json};

const SEEDED: usize = 20_000;
const IN_FLIGHT: usize = 32;
const OLD: &str = "ofac-sdn-2021-07-07";
const NEW: &str = "ofac-sdn-2022-01-31";
const JOB_DONE: &str = "list update re-screening done";

/// `UPDATE_CUSTOMERS` overrides the 1,000,000, for a quick look while changing the job.
fn customers() -> usize {
    std::env::var("UPDATE_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// Names from the US negatives set.
fn serve(db: &Path, lists: &Path) -> Server {
    Server::start(Options {
        lists: vec![lists.to_path_buf()],
        db: Some(db.to_path_buf()),
        log_level: "info",
        extra: vec!["--rate-limit".into(), "0".into()],
        ..Options::new(env!("CARGO_BIN_EXE_clearance"))
    })
}

/// Creates the seed customers, `IN_FLIGHT` at a time.
async fn seed(url: &str, key: &str, names: Arc<Vec<String>>) {
    let (client, url, key) = (reqwest::Client::new(), url.to_owned(), key.to_owned());
    in_flight(IN_FLIGHT, names.len(), move |i| {
        let (client, url, key, names) =
            (client.clone(), url.clone(), key.clone(), Arc::clone(&names));
        async move {
            let body = json!({
                "type": "individual",
                "name": names[i],
                "email": format!("seed{i}@example.com"),
                "phone": "+12128675309",
                "device": {"ip_address": "192.0.2.1"},
            });
            let response = client
                .post(format!("{url}/v1/customers"))
                .bearer_auth(&key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
        }
    })
    .await;
}

/// Adds `count` customers in SQL, each with a screening on the lists the seeded ones were screened on
/// that found nothing: individuals whose first and last names come from different people of the negatives
/// set, so names repeat about as often as in a real population, and tokens far more. A name the old lists
/// match is skipped, so every stored screening is the one the server would have made.
fn fill(db: &Path, count: usize, negatives: &[String], old: &Index) {
    let firsts: Vec<&str> = negatives
        .iter()
        .filter_map(|n| n.split_whitespace().next())
        .collect();
    let lasts: Vec<&str> = negatives
        .iter()
        .filter_map(|n| n.split_whitespace().last())
        .collect();
    let mut conn = rusqlite::Connection::open(db).unwrap();
    let tx = conn.transaction().unwrap();
    let (profile, version, result, at): (String, String, String, String) = tx
        .query_row(
            "SELECT c.profile, s.list_version, s.result, c.created_at
             FROM customers c JOIN screenings s ON s.id = c.review_id
             WHERE c.top_score IS NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    {
        let mut customer = tx
            .prepare(
                "INSERT INTO customers (id, type, status, name, name_key, email, email_key, phone,
                     created_at, updated_at, version, review_id, profile)
                 VALUES (?1, 'individual', 'verified', ?2, lower(?2), ?3, ?3, '+12128675309', ?4, ?4, 1, ?5, ?6)",
            )
            .unwrap();
        let mut screening = tx
            .prepare(
                "INSERT INTO screenings (id, customer_id, created_at, list_version, decision, result)
                 VALUES (?1, ?2, ?3, ?4, 'accept', ?5)",
            )
            .unwrap();
        // A fixed linear congruential sequence: the same names on every run.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % n
        };
        let mut memo = Memo::default();
        let mut clear = |name: &str| {
            let query = Query {
                kind: Some(EntityKind::Individual),
                ..Query::name(name)
            };
            old.search_remembering(&query, DEFAULT_THRESHOLD, 1, &mut memo)
                .is_empty()
        };
        for i in 0..count {
            let name = loop {
                let name = format!(
                    "{} {}",
                    firsts[next(firsts.len())],
                    lasts[next(lasts.len())]
                );
                if clear(&name) {
                    break name;
                }
            };
            let id = format!("fill-{i:07}");
            let review = format!("fill-review-{i:07}");
            customer
                .execute(rusqlite::params![
                    id,
                    name,
                    format!("fill{i}@example.com"),
                    at,
                    review,
                    profile
                ])
                .unwrap();
            screening
                .execute(rusqlite::params![review, id, at, version, result])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE").ok();
}

/// The latest job, once the server has logged its end.
async fn finished_job(server: &Server, key: &str) -> Value {
    tokio::task::block_in_place(|| server.wait_for_log(JOB_DONE));
    let reply = reqwest::Client::new()
        .get(format!("{}/v1/watchlists", server.url))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    let body: Value = reply.json().await.unwrap();
    body["data"]["job"].clone()
}

/// The job's own duration, from its start and end times.
fn seconds(job: &Value) -> f64 {
    let at =
        |field: &str| chrono::DateTime::parse_from_rfc3339(job[field].as_str().unwrap()).unwrap();
    (at("finished_at") - at("started_at")).num_milliseconds() as f64 / 1000.0
}

fn row(label: &str, job: &Value, extra: &str) {
    println!(
        "| {label} | {:.1} s | {} | {} | {} | {extra} |",
        seconds(job),
        job["to_rescreen"],
        job["moved_to_review"],
        job["errors"],
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let total = customers().max(SEEDED);
    let dir = tempfile::tempdir().unwrap();
    let lists = dir.path().join("lists");
    put_lists(&lists, OLD);
    let base = dir.path().join("base.db");

    let negatives = negatives_us_names();
    let (old_entities, new_entities) =
        (shared_snapshot(OLD).entities, shared_snapshot(NEW).entities);
    let (old_parties, new_parties) = (
        individuals_as_written(&old_entities),
        individuals_as_written(&new_entities),
    );
    let old_index = Index::build(old_entities);
    let names: Vec<String> = (0..SEEDED)
        .map(|i| match i % 50 {
            0 => old_parties[(i / 50) % old_parties.len()].clone(),
            25 => new_parties[(i / 50 * 7) % new_parties.len()].clone(),
            _ => negatives[i % negatives.len()].clone(),
        })
        .collect();
    let started = Instant::now();
    let server = serve(&base, &lists);
    seed(&server.url, &server.key("admin"), Arc::new(names)).await;
    drop(server);
    fill(&base, total - SEEDED, &negatives, &old_index);
    let customers = total;
    println!(
        "## A list update with {customers} customers stored: {OLD} → {NEW}\n\nSeeded in {:.0} s.\n",
        started.elapsed().as_secs_f64()
    );
    println!("| run | job | re-screened | moved to review | errors | notes |");
    println!("|---|---:|---:|---:|---:|---|");

    // The delta re-screen, triggered by a refresh on a running server.
    let db = dir.path().join("delta.db");
    std::fs::copy(&base, &db).unwrap();
    let server = serve(&db, &lists);
    let key = server.key("admin");
    server.reset_peak_memory();
    put_lists(&lists, NEW);
    let sent = Instant::now();
    let refreshed = reqwest::Client::new()
        .post(format!("{}/v1/watchlists/refresh", server.url))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 202);
    let swapped = sent.elapsed();
    let job = finished_job(&server, &key).await;
    let (peak, now) = server.memory_mib();
    row(
        "delta (refresh)",
        &job,
        &format!(
            "new lists in force {:.1} s after the request; peak memory during the update {peak:.0} MiB ({now:.0} MiB after)",
            swapped.as_secs_f64()
        ),
    );
    drop(server);

    // Start-up on the changed list.
    let db = dir.path().join("start.db");
    std::fs::copy(&base, &db).unwrap();
    let spawned = Instant::now();
    let server = serve(&db, &lists);
    let health = reqwest::get(format!("{}/v1/health", server.url))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let answered = spawned.elapsed();
    let key = server.key("admin");
    let job = finished_job(&server, &key).await;
    row(
        "delta (start-up)",
        &job,
        &format!(
            "/v1/health answered {:.2} s after the process started",
            answered.as_secs_f64()
        ),
    );
    drop(server);

    // The full re-screen of the same customers.
    let db = dir.path().join("full.db");
    std::fs::copy(&base, &db).unwrap();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE screenings SET list_version = 'unrecorded'", [])
        .unwrap();
    let server = serve(&db, &lists);
    let key = server.key("admin");
    let job = finished_job(&server, &key).await;
    row("full (every customer)", &job, "");
    drop(server);
}
