//! The analyst workflow over HTTP against the real `clearance serve` with the real lists and a real SQLite
//! file: per-match decisions, false-positive memory, four-eyes approval and assignment.

use clearance_testkit::{CLEAN, Client, LISTED, Options, Server, undated};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A name three listed entries match when no birth date is given: OFAC's and the UN's JANG Song Chol,
/// and a weaker third.
const THREE: &str = "Jang Song Chol";
/// A name two listed entries match: OFAC's RI Song Chol and RI Chong Chol.
const TWO: &str = "Ri Song Chol";

fn options() -> Options {
    Options::new(env!("CARGO_BIN_EXE_clearance"))
}

fn id(customer: &Value) -> String {
    customer["id"].as_str().unwrap().to_owned()
}

/// The customer's current review.
async fn review(client: &Client, customer: &Value) -> Value {
    let reply = client
        .get(&format!("/v1/customers/{}/review", id(customer)))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["data"].clone()
}

fn matches(review: &Value) -> Vec<Value> {
    review["identity_details"]["watch_list"]["matches"]
        .as_array()
        .unwrap()
        .clone()
}

fn match_ids(review: &Value) -> Vec<String> {
    matches(review)
        .iter()
        .map(|m| m["match_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn decide_match(
    client: &Client,
    customer: &Value,
    match_id: &str,
    decision: &str,
    note: &str,
) -> Value {
    let reply = client
        .patch(
            &format!("/v1/customers/{}/review/matches/{match_id}", id(customer)),
            &json!({"decision": decision, "note": note}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    reply.body["data"].clone()
}

async fn decide(client: &Client, customer: &Value, status: &str) -> (StatusCode, Value) {
    let reply = client
        .patch(
            &format!("/v1/customers/{}/review", id(customer)),
            &json!({"status": status, "note": format!("{status} after reading the evidence")}),
        )
        .await;
    (reply.status, reply.body)
}

/// The key id a client holds.
async fn key_id(client: &Client) -> String {
    client.get("/v1/api_keys/current").await.body["data"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn actions(client: &Client, customer: &Value) -> Vec<String> {
    let events = client
        .get(&format!("/v1/customers/{}/events", id(customer)))
        .await;
    events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn matches_are_cleared_one_at_a_time_and_verifying_dismisses_the_rest() {
    let server = Server::start(options());
    let analyst = server.client("analyst");
    let customer = analyst.create(&undated(THREE)).await;
    assert_eq!(customer["status"], "review");
    let ids = match_ids(&review(&analyst, &customer).await);
    assert!(ids.len() >= 3, "{ids:?}");

    for (i, match_id) in ids[..2].iter().enumerate() {
        let after = decide_match(
            &analyst,
            &customer,
            match_id,
            "dismissed",
            &format!("another person, {i}"),
        )
        .await;
        let decided = matches(&after)
            .into_iter()
            .find(|m| m["match_id"] == match_id.as_str())
            .unwrap();
        assert_eq!(decided["decision"]["decision"], "dismissed");
        assert_eq!(
            decided["decision"]["note"],
            format!("another person, {i}").as_str()
        );
        assert_eq!(
            after["customer_details"]["status"], "review",
            "only the review decision moves the customer"
        );
    }
    let unknown = analyst
        .patch(
            &format!("/v1/customers/{}/review/matches/nope", id(&customer)),
            &json!({"decision": "dismissed"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);

    let (status, body) = decide(&analyst, &customer, "verified").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "verified");
    let after = review(&analyst, &customer).await;
    for (i, m) in matches(&after).iter().enumerate() {
        assert_eq!(m["decision"]["decision"], "dismissed", "{m}");
        if i >= 2 {
            assert_eq!(
                m["decision"]["note"], "dismissed by verifying the customer",
                "{m}"
            );
        }
    }
    let actions = actions(&analyst, &customer).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "match_decided").count(),
        2,
        "{actions:?}"
    );
    assert_eq!(actions.last().map(String::as_str), Some("decided"));
}

#[tokio::test]
async fn a_confirmed_match_allows_only_a_rejection() {
    let server = Server::start(options());
    let analyst = server.client("analyst");
    let customer = analyst.create(&undated(LISTED)).await;
    let ids = match_ids(&review(&analyst, &customer).await);
    decide_match(
        &analyst,
        &customer,
        &ids[0],
        "confirmed",
        "the listed person",
    )
    .await;
    let (status, body) = decide(&analyst, &customer, "verified").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = decide(&analyst, &customer, "rejected").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "rejected");
}

#[tokio::test]
async fn a_dismissed_pair_does_not_alert_again_until_the_customer_changes() {
    let server = Server::start(options());
    let analyst = server.client("analyst");
    let customer = analyst.create(&undated(TWO)).await;
    let path = format!("/v1/customers/{}", id(&customer));
    let first = review(&analyst, &customer).await;
    for match_id in match_ids(&first) {
        decide_match(
            &analyst,
            &customer,
            &match_id,
            "dismissed",
            "born elsewhere",
        )
        .await;
    }
    assert_eq!(
        decide(&analyst, &customer, "verified").await.0,
        StatusCode::OK
    );

    // A refresh finds the same entries, unchanged: shown, marked, and no alert.
    let refreshed = analyst
        .put(&format!("{path}/refresh_review"), &json!({}))
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text);
    assert_eq!(refreshed.body["data"]["status"], "verified");
    let again = review(&analyst, &customer).await;
    assert_ne!(
        again["identity_details"]["review_id"],
        first["identity_details"]["review_id"]
    );
    assert_eq!(
        again["identity_details"]["watch_list"]["decision"],
        "accept"
    );
    assert_eq!(matches(&again).len(), matches(&first).len());
    for m in matches(&again) {
        let cleared = &m["previously_cleared"];
        assert_eq!(cleared["note"], "born elsewhere", "{m}");
        assert!(cleared["cleared_by"].as_str().unwrap().starts_with("key_"));
        assert!(cleared["cleared_at"].is_string());
    }
    assert!(
        actions(&analyst, &customer)
            .await
            .contains(&"suppressed".to_owned())
    );

    // Another spelling of the name is another identity: the clearances lapse and the matches alert.
    let renamed = analyst.put(&path, &json!({"name": "Ri Song-Chol"})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["data"]["status"], "review");
    let after = review(&analyst, &customer).await;
    assert!(!matches(&after).is_empty());
    assert!(
        matches(&after)
            .iter()
            .all(|m| m["previously_cleared"].is_null())
    );
}

#[tokio::test]
async fn four_eyes_needs_the_same_decision_from_two_analysts() {
    let server = Server::start(Options {
        extra: ["--rate-limit", "0", "--four-eyes", "likely_match"]
            .map(String::from)
            .to_vec(),
        ..options()
    });
    let (first, second) = (server.client("analyst"), server.client("analyst"));
    let customer = first.create(&undated(LISTED)).await;

    let (status, body) = decide(&first, &customer, "verified").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["data"]["status"], "review",
        "awaiting a second analyst"
    );
    let pending = review(&first, &customer).await;
    let awaiting = &pending["identity_details"]["awaiting_approval"];
    assert_eq!(awaiting["status"], "verified");
    assert!(
        awaiting["decided_by"]
            .as_str()
            .unwrap()
            .starts_with(&key_id(&first).await)
    );
    let queue = first.get("/v1/customers?status=review").await;
    assert_eq!(
        queue.body["data"][0]["awaiting_approval"], *awaiting,
        "the queue shows the four-eyes state"
    );
    assert_eq!(
        decide(&first, &customer, "verified").await.0,
        StatusCode::CONFLICT,
        "the same key twice"
    );
    let match_id = &match_ids(&pending)[0];
    let frozen = first
        .patch(
            &format!("/v1/customers/{}/review/matches/{match_id}", id(&customer)),
            &json!({"decision": "confirmed"}),
        )
        .await;
    assert_eq!(frozen.status, StatusCode::CONFLICT, "{}", frozen.text);

    // A different decision sends the review back to the first analyst.
    let (status, body) = decide(&second, &customer, "rejected").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "review");
    let returned = review(&second, &customer).await;
    assert!(returned["identity_details"]["awaiting_approval"].is_null());
    let queue = second.get("/v1/customers?status=review").await;
    assert!(queue.body["data"][0]["awaiting_approval"].is_null());
    let listed = second
        .get(&format!("/v1/customers?assignee={}", key_id(&first).await))
        .await;
    assert_eq!(listed.body["data"][0]["id"], id(&customer).as_str());

    // The same decision from two keys decides.
    assert_eq!(
        decide(&first, &customer, "rejected").await.0,
        StatusCode::OK
    );
    let (status, body) = decide(&second, &customer, "rejected").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["status"], "rejected");
    let decided = review(&second, &customer).await;
    let decision = &decided["identity_details"]["review_decision"];
    assert!(
        decision["decided_by"]
            .as_str()
            .unwrap()
            .starts_with(&key_id(&second).await)
    );
    assert!(
        decision["first_approval"]["decided_by"]
            .as_str()
            .unwrap()
            .starts_with(&key_id(&first).await)
    );
    let actions = actions(&second, &customer).await;
    for action in ["first_approval", "approval_returned", "decided"] {
        assert!(actions.contains(&action.to_owned()), "{actions:?}");
    }
}

#[tokio::test]
async fn the_queue_filters_by_assignee_and_sorts_by_score_and_wait() {
    let server = Server::start(options());
    let (me, other) = (server.client("analyst"), server.client("analyst"));
    let viewer = server.client("viewer");
    let mut waiting = Vec::new();
    for name in [TWO, LISTED, THREE] {
        waiting.push(me.create(&undated(name)).await);
    }
    let clean = me.create(&undated(CLEAN)).await;
    let assign = |client: &Client, customer: &Value, assignee: Value| {
        let client = client.clone();
        let path = format!("/v1/customers/{}/review/assign", id(customer));
        async move { client.post(&path, &json!({"assignee": assignee})).await }
    };
    let mine = assign(&me, &waiting[0], json!("me")).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
    let theirs = assign(&me, &waiting[1], json!(key_id(&other).await)).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    let to_viewer = assign(&me, &waiting[2], json!(key_id(&viewer).await)).await;
    assert_eq!(to_viewer.status, StatusCode::CONFLICT, "{}", to_viewer.text);
    let malformed = assign(&me, &waiting[2], json!("someone")).await;
    assert_eq!(
        malformed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        malformed.text
    );
    assert_eq!(
        assign(&me, &clean, json!("me")).await.status,
        StatusCode::CONFLICT,
        "only a customer in review is assigned"
    );

    let ids = |reply: &clearance_testkit::Reply| -> Vec<String> {
        reply.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(id)
            .collect()
    };
    let page = me.get("/v1/customers?assignee=me").await;
    assert_eq!(ids(&page), [id(&waiting[0])]);
    assert_eq!(page.body["data"][0]["assignee"], key_id(&me).await.as_str());
    assert_eq!(
        ids(&other.get("/v1/customers?assignee=me").await),
        [id(&waiting[1])]
    );
    assert_eq!(
        ids(&me.get("/v1/customers?assignee=none&status=review").await),
        [id(&waiting[2])]
    );

    let by_score = me
        .get("/v1/customers?status=review&sort_by=score&sort_order=desc")
        .await;
    let scores: Vec<f64> = by_score.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 3);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    // Each row names the party behind its score, as the customer's review has it first.
    for row in by_score.body["data"].as_array().unwrap() {
        let strongest = &row["strongest_match"];
        let first = &matches(&review(&me, row).await)[0];
        assert_eq!(strongest["party"], first["entity"]["name"], "{row}");
        assert_eq!(strongest["list_name"], first["list_name"]);
        assert_eq!(strongest["entity_id"], first["entity_id"]);
        assert_eq!(strongest["correlation"], first["correlation"]);
        assert_eq!(row["score"], first["score"]);
        let since = epoch_seconds(row["review_since"].as_str().unwrap());
        let due = epoch_seconds(row["review_due_at"].as_str().unwrap());
        assert_eq!(due - since, 24 * 3600, "the default service level");
    }
    assert!(clean_row_has_no_queue_fields(&me, &clean).await);

    let by_wait = me
        .get("/v1/customers?sort_by=review_age&sort_order=desc")
        .await;
    let order = ids(&by_wait);
    assert_eq!(
        order,
        [
            id(&waiting[0]),
            id(&waiting[1]),
            id(&waiting[2]),
            id(&clean)
        ],
        "the longest wait first, customers not in review last"
    );
    assert!(by_wait.body["data"][0]["review_since"].is_string());
    assert!(by_wait.body["data"][3]["review_since"].is_null());
}

#[tokio::test]
async fn the_audit_export_round_trips_every_decision() {
    let server = Server::start(options());
    let analyst = server.client("analyst");
    let admin = server.client("admin");
    let cleared = analyst.create(&undated(THREE)).await;
    let ids = match_ids(&review(&analyst, &cleared).await);
    decide_match(&analyst, &cleared, &ids[0], "dismissed", "born in 1990").await;
    assert_eq!(
        decide(&analyst, &cleared, "verified").await.0,
        StatusCode::OK
    );
    let rejected = analyst.create(&undated(LISTED)).await;
    let listed_ids = match_ids(&review(&analyst, &rejected).await);
    decide_match(
        &analyst,
        &rejected,
        &listed_ids[0],
        "confirmed",
        "the listed person",
    )
    .await;
    assert_eq!(
        decide(&analyst, &rejected, "rejected").await.0,
        StatusCode::OK
    );

    assert_eq!(
        analyst.get("/v1/audit/export").await.status,
        StatusCode::FORBIDDEN,
        "only an admin exports"
    );
    let export = admin.get("/v1/audit/export?format=ndjson").await;
    assert_eq!(export.status, StatusCode::OK);
    let records: Vec<Value> = export
        .text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let mut decided = 0;
    for customer in [&cleared, &rejected] {
        let events = analyst
            .get(&format!("/v1/customers/{}/events", id(customer)))
            .await;
        for event in events.body["data"].as_array().unwrap() {
            let exported = records
                .iter()
                .find(|r| r["id"] == event["id"])
                .unwrap_or_else(|| panic!("{event} is exported"));
            for field in ["action", "actor", "at", "note", "status_after", "review_id"] {
                assert_eq!(exported[field], event[field], "{field}");
            }
            if event["action"] == "decided" {
                decided += 1;
                let decision = &exported["decision"];
                assert_eq!(decision["status"], event["status_after"]);
                assert_eq!(decision["note"], event["note"]);
                assert_eq!(decision["decided_by"], event["actor"]);
                let snapshot = &exported["list_snapshot"];
                assert!(!snapshot["publisher"].as_str().unwrap().is_empty());
                assert_eq!(snapshot["content_hash"].as_str().unwrap().len(), 64);
                assert_eq!(exported["query_names"], json!([customer["name"]]));
                let matches = exported["matches"].as_array().unwrap();
                assert!(!matches.is_empty());
                assert!(
                    matches
                        .iter()
                        .all(|m| m["decision"]["decision"].is_string())
                );
                assert!(
                    matches
                        .iter()
                        .all(|m| !m["tokens"].as_array().unwrap().is_empty())
                );
            }
        }
    }
    assert_eq!(decided, 2);

    let csv = admin.get("/v1/audit/export?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), records.len());
    let decisions: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[column("action")] == "decided")
        .collect();
    assert_eq!(decisions.len(), 2);
    for row in decisions {
        assert!(!row[column("decided_by")].is_empty());
        assert!(!row[column("list_hash")].is_empty());
        let matches: Value = serde_json::from_str(&row[column("matches")]).unwrap();
        assert!(matches.as_array().is_some_and(|m| !m.is_empty()));
    }
    let none = admin
        .get("/v1/audit/export?from=2000-01-01&to=2000-01-02&format=csv")
        .await;
    assert_eq!(none.text.lines().count(), 1, "the header alone");
}

/// Seconds since the epoch of an RFC 3339 time.
fn epoch_seconds(stamp: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .unwrap()
        .timestamp()
}

/// Whether a customer out of review lists without a party, a due time or an approval.
async fn clean_row_has_no_queue_fields(client: &Client, clean: &Value) -> bool {
    let page = client
        .get(&format!("/v1/customers?search_text={}", id(clean)))
        .await;
    let row = &page.body["data"][0];
    row["id"] == clean["id"]
        && row["strongest_match"].is_null()
        && row["review_due_at"].is_null()
        && row["awaiting_approval"].is_null()
}
