//! Updates as Straddle's client libraries send them, and the review states only a person clears, over HTTP
//! against the real `clearance serve` process.

use clearance_testkit::{CLEAN, Client, DOB, LISTED, Options, SSN, Server, individual};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn start() -> Server {
    Server::start(Options::new(env!("CARGO_BIN_EXE_clearance")))
}

fn id(customer: &Value) -> String {
    customer["id"].as_str().unwrap().to_owned()
}

/// A customer with every optional field set, so an update that drops one shows.
fn full() -> Value {
    let mut body = individual(CLEAN);
    body["metadata"] = json!({"tier": "gold"});
    body["config"] = json!({"processing_method": "inline", "sandbox_outcome": "standard"});
    body
}

/// The stored customer in the clear, without the fields every write changes.
async fn stored(admin: &Client, path: &str) -> Value {
    let reply = admin.get(&format!("{path}/unmasked")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let mut data = reply.body["data"].clone();
    data.as_object_mut().unwrap().remove("updated_at");
    data
}

/// Whether each `updated` audit row re-screened (carries a review id).
async fn rescreens(client: &Client, path: &str) -> Vec<bool> {
    let events = client.get(&format!("{path}/events")).await;
    events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "updated")
        .map(|e| e["review_id"].is_string())
        .collect()
}

#[tokio::test]
async fn an_update_of_the_name_alone_keeps_every_other_field() {
    let server = start();
    let (analyst, admin) = (server.client("analyst"), server.client("admin"));
    let path = format!("/v1/customers/{}", id(&analyst.create(&full()).await));
    let before = stored(&admin, &path).await;
    let reply = analyst.put(&path, &json!({"name": "Ronald Swanson"})).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let mut expected = before;
    expected["name"] = json!("Ronald Swanson");
    assert_eq!(stored(&admin, &path).await, expected);
    assert_eq!(expected["compliance_profile"]["ssn"], SSN);
    assert_eq!(expected["compliance_profile"]["dob"], DOB);
}

#[tokio::test]
async fn a_get_put_round_trip_with_the_masked_values_changes_nothing() {
    let server = start();
    let (analyst, admin) = (server.client("analyst"), server.client("admin"));
    let path = format!("/v1/customers/{}", id(&analyst.create(&full()).await));
    let before = stored(&admin, &path).await;
    let read = analyst.get(&path).await.body["data"].clone();
    assert_eq!(read["compliance_profile"]["ssn"], "***-**-****");
    let reply = analyst.put(&path, &read).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(stored(&admin, &path).await, before);
    assert_eq!(
        rescreens(&analyst, &path).await,
        [false],
        "nothing to re-screen"
    );
}

#[tokio::test]
async fn null_clears_a_field_and_status_pending_screens_again() {
    let server = start();
    let (analyst, admin) = (server.client("analyst"), server.client("admin"));
    let path = format!("/v1/customers/{}", id(&analyst.create(&full()).await));
    let reply = analyst
        .put(&path, &json!({"external_id": null, "metadata": null}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let after = stored(&admin, &path).await;
    assert!(
        after["external_id"].is_null() && after["metadata"].is_null(),
        "{after}"
    );
    assert_eq!(
        after["compliance_profile"]["ssn"], SSN,
        "what was left out stays"
    );

    let pending = analyst.put(&path, &json!({"status": "pending"})).await;
    assert_eq!(pending.status, StatusCode::OK, "{}", pending.text);
    assert_eq!(pending.body["data"]["status"], "verified");
    assert_eq!(rescreens(&analyst, &path).await, [false, true]);
    let same = analyst.put(&path, &json!({"status": "verified"})).await;
    assert_eq!(same.status, StatusCode::OK, "the current status is a no-op");
    let decided = analyst.put(&path, &json!({"status": "rejected"})).await;
    assert_eq!(decided.status, StatusCode::CONFLICT);
    assert!(decided.text.contains("/review"), "{}", decided.text);
}

#[tokio::test]
async fn a_clean_rescreen_leaves_a_review_for_an_analyst() {
    let server = start();
    let analyst = server.client("analyst");
    let listed = analyst.create(&individual(LISTED)).await;
    assert_eq!(listed["status"], "review");
    let path = format!("/v1/customers/{}", id(&listed));
    let renamed = analyst.put(&path, &json!({"name": CLEAN})).await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(
        renamed.body["data"]["status"], "review",
        "no person decided"
    );
    let refreshed = analyst
        .send(Method::PUT, &format!("{path}/refresh_review"), None, &[])
        .await;
    assert_eq!(refreshed.body["data"]["status"], "review");
    let review = analyst.get(&format!("{path}/review")).await;
    let details = &review.body["data"]["identity_details"];
    assert_eq!(details["watch_list"]["matches"], json!([]));
    assert!(
        details["messages"]["watch_list"]
            .as_str()
            .unwrap()
            .contains("stays in review"),
        "{}",
        review.text
    );
    let cleared = analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "verified", "note": "renamed; no longer matches"}),
        )
        .await;
    assert_eq!(cleared.body["data"]["status"], "verified");
}

#[tokio::test]
async fn rejected_is_final_until_an_admin_reopens_it_with_a_note() {
    let server = start();
    let (analyst, admin) = (server.client("analyst"), server.client("admin"));
    let path = format!(
        "/v1/customers/{}",
        id(&analyst.create(&individual(LISTED)).await)
    );
    let rejected = analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "rejected", "note": "the listed person"}),
        )
        .await;
    assert_eq!(rejected.body["data"]["status"], "rejected");
    for status in ["inactive", "pending"] {
        let reply = analyst
            .put(&path, &json!({"name": CLEAN, "status": status}))
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{status}");
        assert_eq!(reply.references(), ["status"]);
    }
    let reopen = format!("{path}/reopen");
    let note = json!({"note": "new evidence from the customer"});
    assert_eq!(
        analyst.post(&reopen, &note).await.status,
        StatusCode::FORBIDDEN
    );
    let no_note = admin.post(&reopen, &json!({"note": " "})).await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_note.references(), ["note"]);
    let reopened = admin.post(&reopen, &note).await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.text);
    assert_eq!(reopened.body["data"]["status"], "review");
    let again = admin.post(&reopen, &note).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "only from rejected");
    let events = admin.get(&format!("{path}/events")).await;
    let last = events.last_item();
    assert_eq!(last["action"], "reopened");
    assert_eq!(last["note"], "new evidence from the customer");
    assert_eq!(
        (last["status_before"].clone(), last["status_after"].clone()),
        (json!("rejected"), json!("review"))
    );
}

#[tokio::test]
async fn review_notes_are_bounded_text() {
    let server = start();
    let analyst = server.client("analyst");
    let path = format!(
        "/v1/customers/{}",
        id(&analyst.create(&individual(LISTED)).await)
    );
    for note in ["x".repeat(4001), "bell\u{7}".to_owned()] {
        let reply = analyst
            .patch(
                &format!("{path}/review"),
                &json!({"status": "verified", "note": note}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.references(), ["note"]);
    }
    let fine = analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "verified", "note": format!("{}\nsecond line", "x".repeat(3000))}),
        )
        .await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.text);
}

#[tokio::test]
async fn a_retry_is_the_same_request_however_its_json_is_formatted() {
    let server = start();
    let analyst = server.client("analyst");
    let send = |text: String| {
        analyst
            .http
            .post(format!("{}/v1/customers", analyst.url))
            .bearer_auth(analyst.key.as_ref().unwrap())
            .header("content-type", "application/json")
            .header("idempotency-key", "formatted")
            .body(text)
            .send()
    };
    let body = individual(CLEAN);
    let first = send(serde_json::to_string(&body).unwrap()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let pretty = serde_json::to_string_pretty(&body).unwrap();
    let retry = send(pretty).await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: Value = retry.json().await.unwrap();
    assert_eq!(retry["data"]["id"], first["data"]["id"]);
}

#[tokio::test]
async fn a_viewer_sees_the_review_without_the_birth_date_agreement() {
    let server = start();
    let analyst = server.client("analyst");
    let path = format!(
        "/v1/customers/{}/review",
        id(&analyst.create(&individual(LISTED)).await)
    );
    let fields = |reply: &clearance_testkit::Reply| -> Vec<String> {
        reply.body["data"]["identity_details"]["watch_list"]["matches"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["field_checks"].as_array().unwrap().clone())
            .map(|c| c["field"].as_str().unwrap().to_owned())
            .collect()
    };
    let full = analyst.get(&path).await;
    assert!(fields(&full).contains(&"dob".to_owned()), "{}", full.text);
    let viewer = server.client("viewer").get(&path).await;
    assert_eq!(viewer.status, StatusCode::OK);
    assert!(
        !fields(&viewer).contains(&"dob".to_owned()),
        "{}",
        viewer.text
    );
    let without_dob: Vec<String> = fields(&full).into_iter().filter(|f| f != "dob").collect();
    assert_eq!(
        fields(&viewer),
        without_dob,
        "only the birth date check goes"
    );
}

#[tokio::test]
async fn a_customer_deactivated_in_review_comes_back_to_review_by_any_path() {
    let server = start();
    let analyst = server.client("analyst");
    let mut body = individual(LISTED);
    body["external_id"] = json!("eo-deactivated");
    let path = format!("/v1/customers/{}", id(&analyst.create(&body).await));
    let inactive = analyst.put(&path, &json!({"status": "inactive"})).await;
    assert_eq!(inactive.body["data"]["status"], "inactive");
    let renamed = analyst.put(&path, &json!({"name": CLEAN})).await;
    assert_eq!(renamed.body["data"]["status"], "inactive");
    let safe = analyst
        .post(
            "/v1/easyofac/updateCustomerStatus",
            &json!({"id": "eo-deactivated", "status": "safe"}),
        )
        .await;
    assert_eq!(safe.status, StatusCode::OK, "{}", safe.text);
    assert_eq!(
        analyst.get(&path).await.body["data"]["status"],
        "review",
        "EasyOFAC's safe re-screens, and the clean screening does not clear the review"
    );
}

#[tokio::test]
async fn no_two_customers_share_an_email_or_external_id() {
    let server = start();
    let analyst = server.client("analyst");
    let first = individual(CLEAN);
    analyst.create(&first).await;
    let mut same = individual(CLEAN);
    same["email"] = json!(first["email"].as_str().unwrap().to_uppercase());
    same["external_id"] = first["external_id"].clone();
    let refused = analyst.post("/v1/customers", &same).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);
    assert_eq!(refused.references(), ["email", "external_id"]);

    let second = analyst.create(&individual(CLEAN)).await;
    let path = format!("/v1/customers/{}", id(&second));
    let taken = analyst
        .put(&path, &json!({"external_id": first["external_id"]}))
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.references(), ["external_id"]);
    let kept = analyst.put(&path, &json!({"email": second["email"]})).await;
    assert_eq!(kept.status, StatusCode::OK, "its own email is not taken");
}

#[tokio::test]
async fn a_put_that_fits_only_another_type_conflicts_and_a_bad_value_is_invalid() {
    let server = start();
    let analyst = server.client("analyst");
    let path = format!(
        "/v1/customers/{}",
        id(&analyst.create(&individual(CLEAN)).await)
    );
    let business_member = analyst
        .put(&path, &json!({"compliance_profile": {"ein": "12-3456789"}}))
        .await;
    assert_eq!(business_member.status, StatusCode::CONFLICT);
    assert_eq!(business_member.references(), ["compliance_profile.ein"]);
    let bad_ssn = analyst
        .put(
            &path,
            &json!({"compliance_profile": {"ssn": "666-12-3456"}}),
        )
        .await;
    assert_eq!(bad_ssn.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_ssn.references(), ["compliance_profile.ssn"]);
    let decision = analyst.put(&path, &json!({"status": "rejected"})).await;
    assert_eq!(decision.status, StatusCode::CONFLICT);
    assert_eq!(decision.references(), ["status"]);
    let cleared = analyst.put(&path, &json!({"email": null})).await;
    assert_eq!(cleared.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(cleared.references(), ["email"]);
}

#[tokio::test]
async fn a_retried_delete_replays_its_first_answer() {
    let server = start();
    let analyst = server.client("analyst");
    let admin = server.client("admin");
    let path = format!(
        "/v1/customers/{}",
        id(&analyst.create(&individual(CLEAN)).await)
    );
    let key = [("Idempotency-Key", "erase-1")];
    let first = admin.send(Method::DELETE, &path, None, &key).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let retry = admin.send(Method::DELETE, &path, None, &key).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text);
    assert_eq!(retry.body, first.body);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    let without_key = admin.send(Method::DELETE, &path, None, &[]).await;
    assert_eq!(without_key.status, StatusCode::NOT_FOUND);
}
