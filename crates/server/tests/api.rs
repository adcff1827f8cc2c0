//! The customers, review, audit, EasyOFAC and compliance API, driven over HTTP against the real
//! `clearance serve` process with the real lists and a real SQLite file.

mod common;

use common::{CLEAN, DOB, LISTED, Options, SSN, individual, start, start_with};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn id(customer: &Value) -> String {
    customer["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn keys_are_made_by_the_cli_and_checked_on_every_customer_endpoint() {
    let server = start();
    let key = server.key("viewer");
    assert!(
        key.starts_with("clr_") && key.len() == 68 && !key.contains(char::is_whitespace),
        "the CLI prints the key and only the key: {key:?}"
    );

    let anonymous = server.anonymous();
    let reply = anonymous.get("/v1/customers").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.error_type(), "unauthorized");
    assert_eq!(reply.body["response_type"], "error");
    assert_eq!(reply.headers["www-authenticate"], "Bearer");
    let forged = common::Client {
        key: Some(format!("clr_{}", "0".repeat(64))),
        ..anonymous.clone()
    };
    assert_eq!(
        forged.get("/v1/customers").await.status,
        StatusCode::UNAUTHORIZED
    );

    let viewer = server.client("viewer");
    let analyst = server.client("analyst");
    let admin = server.client("admin");
    let created = analyst.create(&individual(CLEAN)).await;
    let path = format!("/v1/customers/{}", id(&created));
    assert_eq!(viewer.get(&path).await.status, StatusCode::OK);
    let refused = viewer.post("/v1/customers", &individual(CLEAN)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.error_type(), "forbidden");
    assert_eq!(
        analyst.get(&format!("{path}/unmasked")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(analyst.delete(&path).await.status, StatusCode::FORBIDDEN);
    let unmasked = admin.get(&format!("{path}/unmasked")).await;
    assert_eq!(unmasked.status, StatusCode::OK);
    assert_eq!(unmasked.body["data"]["compliance_profile"]["ssn"], SSN);
    assert_eq!(unmasked.body["data"]["compliance_profile"]["dob"], DOB);
    assert_eq!(unmasked.headers["cache-control"], "no-store");

    let me = viewer.get("/v1/api_keys/current").await;
    assert_eq!(me.body["data"]["role"], "viewer");
    assert_eq!(me.body["data"]["permissions"], json!(["read"]));
    let me = admin.get("/v1/api_keys/current").await;
    assert_eq!(
        me.body["data"]["permissions"],
        json!(["read", "write", "decide", "unmask", "delete"])
    );

    // Public: no customer data, and the widget fetches the index without a key.
    for public in ["/v1/health", "/v1/watchlists", "/v1/openapi.json"] {
        assert_eq!(
            anonymous.get(public).await.status,
            StatusCode::OK,
            "{public}"
        );
    }
}

#[tokio::test]
async fn create_screens_and_every_read_masks() {
    let server = start();
    let analyst = server.client("analyst");
    let clean = analyst.create(&individual(CLEAN)).await;
    assert_eq!(clean["status"], "verified");
    assert_eq!(clean["compliance_profile"]["ssn"], "***-**-****");
    assert_eq!(clean["compliance_profile"]["dob"], "****-**-**");
    let listed = analyst.create(&individual(LISTED)).await;
    assert_eq!(listed["status"], "review");

    let reads = [
        format!("/v1/customers/{}", id(&clean)),
        format!("/v1/customers/{}/review", id(&listed)),
        format!("/v1/customers/{}/events", id(&listed)),
        "/v1/customers?search_text=ext-ron".to_owned(),
        format!("/v1/compliance/status/{}", id(&clean)),
        format!("/v1/easyofac/customers/{}", id(&clean)),
    ];
    for path in reads {
        let reply = analyst.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.text);
        assert!(
            !reply.text.contains(SSN) && !reply.text.contains(DOB),
            "{path} leaked PII: {}",
            reply.text
        );
    }
}

#[tokio::test]
async fn invalid_requests_get_straddle_errors_with_field_items() {
    let server = start();
    let analyst = server.client("analyst");
    let mut body = individual(CLEAN);
    body["email"] = json!("ron-at-pawnee");
    body["compliance_profile"]["ssn"] = json!("666-12-3456");
    body["address"]["zip"] = json!("4799");
    body.as_object_mut().unwrap().remove("device");
    let reply = analyst.post("/v1/customers", &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_type(), "validation_error");
    assert_eq!(
        reply.references(),
        [
            "email",
            "device.ip_address",
            "address.zip",
            "compliance_profile.ssn"
        ]
    );
    assert!(
        !reply.text.contains("666-12-3456"),
        "errors never echo values"
    );
    assert!(reply.body["meta"]["api_request_id"].is_string());

    let mut wrong_type = individual(CLEAN);
    wrong_type["type"] = json!("trust");
    let reply = analyst.post("/v1/customers", &wrong_type).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.references(), ["type"]);

    let reply = analyst
        .http
        .post(format!("{}/v1/customers", analyst.url))
        .bearer_auth(analyst.key.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::BAD_REQUEST);
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request");

    let missing = analyst.get("/v1/customers/no-such-id").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.error_type(), "not_found");
}

#[tokio::test]
async fn the_list_filters_sorts_and_pages_as_straddle_documents() {
    let server = start();
    let analyst = server.client("analyst");
    let people = [
        ("Ann Perkins", "ann@pawnee.com", "individual"),
        ("Leslie Knope", "leslie@pawnee.com", "individual"),
        ("Ben Wyatt", "ben@pawnee.com", "individual"),
        (LISTED, "vp@example.ru", "individual"),
    ];
    for (i, (name, email, kind)) in people.iter().enumerate() {
        let mut body = individual(name);
        body["email"] = json!(email);
        body["type"] = json!(kind);
        body["external_id"] = json!(format!("ext-{i}"));
        analyst.create(&body).await;
    }
    let business = json!({
        "type": "business", "name": "Very Good Building Co", "email": "info@vgb.com",
        "phone": "+13175550100", "device": {"ip_address": "0.0.0.0"},
        "compliance_profile": {"ein": "12-3456789", "legal_business_name": "Very Good Building Company LLC"},
    });
    analyst.create(&business).await;

    let names = |reply: &common::Reply| -> Vec<String> {
        reply.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = analyst
        .get("/v1/customers?sort_by=name&sort_order=asc&page_size=2&page_number=2")
        .await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert_eq!(names(&all), ["Leslie Knope", "Very Good Building Co"]);
    let meta = &all.body["meta"];
    assert_eq!(meta["total_items"], 5);
    assert_eq!(meta["total_pages"], 3);
    assert_eq!(meta["page_number"], 2);
    assert_eq!(meta["page_size"], 2);
    assert_eq!(meta["max_page_size"], 1000);
    assert_eq!(meta["sort_by"], "name");
    assert_eq!(meta["sort_order"], "asc");
    assert_eq!(all.body["response_type"], "array");

    let cases = [
        ("status=review", vec![LISTED]),
        ("types=business", vec!["Very Good Building Co"]),
        ("name=KNOP", vec!["Leslie Knope"]),
        ("email=BEN@pawnee.com", vec!["Ben Wyatt"]),
        ("external_id=ext-0", vec!["Ann Perkins"]),
        ("search_text=leslie", vec!["Leslie Knope"]),
        (
            "status=review&status=rejected&types[]=individual",
            vec![LISTED],
        ),
        ("created_from=2000-01-01&created_to=2000-12-31", vec![]),
    ];
    for (query, expected) in cases {
        let reply = analyst.get(&format!("/v1/customers?{query}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.text);
        assert_eq!(names(&reply), expected, "{query}");
    }
    let newest_first = analyst.get("/v1/customers").await;
    assert_eq!(names(&newest_first)[0], "Very Good Building Co");

    let bad = analyst
        .get("/v1/customers?page_size=1001&status=approved")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.references(), ["page_size", "status"]);
}

#[tokio::test]
async fn updates_rescreen_only_when_identity_changes() {
    let server = start();
    let analyst = server.client("analyst");
    let customer = analyst.create(&individual(CLEAN)).await;
    let path = format!("/v1/customers/{}", id(&customer));

    let mut contact = individual(CLEAN);
    contact["email"] = json!("ron@veryprivate.com");
    let reply = analyst.put(&path, &contact).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "verified");

    let renamed = analyst.put(&path, &individual(LISTED)).await;
    assert_eq!(renamed.body["data"]["status"], "review");

    let mut decide = individual(LISTED);
    decide["status"] = json!("verified");
    let refused = analyst.put(&path, &decide).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.references(), ["status"]);

    let mut deactivate = individual(LISTED);
    deactivate["status"] = json!("inactive");
    let reply = analyst.put(&path, &deactivate).await;
    assert_eq!(reply.body["data"]["status"], "inactive");
    let mut reactivate = individual(CLEAN);
    reactivate["status"] = json!("pending");
    let reply = analyst.put(&path, &reactivate).await;
    assert_eq!(
        reply.body["data"]["status"], "verified",
        "reactivating re-screens"
    );

    let events = analyst.get(&format!("{path}/events")).await;
    let screened: Vec<bool> = events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "updated")
        .map(|e| e["review_id"].is_string())
        .collect();
    assert_eq!(screened, [false, true, false, true]);
}

#[tokio::test]
async fn an_analyst_reviews_the_evidence_and_decides_once() {
    let server = start();
    let analyst = server.client("analyst");
    let listed = analyst.create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}", id(&listed));

    let review = analyst.get(&format!("{path}/review")).await;
    let details = &review.body["data"]["identity_details"];
    assert_eq!(details["decision"], "review");
    assert_eq!(details["breakdown"], json!({}), "no invented fraud modules");
    assert_eq!(details["kyc"]["decision"], "accept");
    assert_eq!(details["kyc"]["validations"]["ssn"], true);
    let watch_list = &details["watch_list"];
    assert_eq!(watch_list["decision"], "review");
    assert_eq!(watch_list["matched"], json!(["OFAC SDN"]));
    let first = &watch_list["matches"][0];
    assert_eq!(first["list_name"], "OFAC SDN");
    assert!(
        first["matched_name"]
            .as_str()
            .unwrap()
            .starts_with("PUTIN, Vladimir")
    );
    assert!(first["score"].as_f64().unwrap() >= 0.82);
    assert_ne!(first["correlation"], "low_confidence");
    assert!(
        first["match_fields"]
            .as_array()
            .unwrap()
            .contains(&json!("name"))
    );
    assert!(
        first["urls"][0]
            .as_str()
            .unwrap()
            .contains(first["entity_id"].as_str().unwrap())
    );
    let tokens = first["tokens"].as_array().unwrap();
    assert!(
        tokens
            .iter()
            .any(|t| t["customer_token"] == "putin" && t["list_token"] == "putin")
    );
    assert!(!first["entity"]["programs"].as_array().unwrap().is_empty());
    let review_id = details["review_id"].as_str().unwrap().to_owned();

    let not_a_decision = analyst
        .patch(&format!("{path}/review"), &json!({"status": "pending"}))
        .await;
    assert_eq!(not_a_decision.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_a_decision.references(), ["status"]);

    let decided = analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "rejected", "note": "same person"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.text);
    assert_eq!(decided.body["data"]["status"], "rejected");
    let again = analyst
        .patch(&format!("{path}/review"), &json!({"status": "verified"}))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.body["error"]["detail"]
            .as_str()
            .unwrap()
            .contains("already decided")
    );

    // A rejected customer stays rejected through a refresh, with the new screening recorded.
    let refreshed = analyst
        .send(Method::PUT, &format!("{path}/refresh_review"), None, &[])
        .await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text);
    assert_eq!(refreshed.body["data"]["status"], "rejected");
    let review = analyst.get(&format!("{path}/review")).await;
    assert_ne!(
        review.body["data"]["identity_details"]["review_id"],
        review_id
    );

    // A customer verified by screening has nothing to decide.
    let clean = analyst.create(&individual(CLEAN)).await;
    let reply = analyst
        .patch(
            &format!("/v1/customers/{}/review", id(&clean)),
            &json!({"status": "rejected"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_type(), "invalid_state");

    // Deciding on evidence a refresh replaced is refused.
    let other = analyst.create(&individual(LISTED)).await;
    let other_path = format!("/v1/customers/{}", id(&other));
    let old = analyst.get(&format!("{other_path}/review")).await.body["data"]["identity_details"]
        ["review_id"]
        .clone();
    analyst
        .send(
            Method::PUT,
            &format!("{other_path}/refresh_review"),
            None,
            &[],
        )
        .await;
    let stale = analyst
        .patch(
            &format!("{other_path}/review"),
            &json!({"status": "verified", "review_id": old}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn of_two_racing_decisions_exactly_one_applies() {
    let server = start();
    let analysts: Vec<_> = (0..8).map(|_| server.client("analyst")).collect();
    let listed = analysts[0].create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}/review", id(&listed));
    let tasks: Vec<_> = analysts
        .iter()
        .enumerate()
        .map(|(i, analyst)| {
            let analyst = analyst.clone();
            let path = path.clone();
            let status = if i % 2 == 0 { "verified" } else { "rejected" };
            tokio::spawn(async move { analyst.patch(&path, &json!({"status": status})).await })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap().status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        7,
        "{statuses:?}"
    );
    let events = analysts[0]
        .get(&format!("/v1/customers/{}/events", id(&listed)))
        .await;
    let decided = events.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "decided")
        .count();
    assert_eq!(decided, 1);
}

#[tokio::test]
async fn a_retried_request_returns_the_first_response_and_changes_nothing() {
    let server = start();
    let analyst = server.client("analyst");
    let headers = [
        ("Idempotency-Key", "create-ron-1"),
        ("Request-Id", "req-42"),
        ("Correlation-Id", "corr-7"),
    ];
    let body = individual(CLEAN);
    let first = analyst
        .send(Method::POST, "/v1/customers", Some(&body), &headers)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.headers["request-id"], "req-42");
    assert_eq!(first.headers["correlation-id"], "corr-7");
    let retry = analyst
        .send(Method::POST, "/v1/customers", Some(&body), &headers)
        .await;
    assert_eq!(retry.status, StatusCode::CREATED);
    assert_eq!(
        retry.body, first.body,
        "the stored first response, request id and all"
    );
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    let list = analyst.get("/v1/customers?external_id=ext-ron").await;
    assert_eq!(list.body["meta"]["total_items"], 1);

    let mut different = individual(CLEAN);
    different["email"] = json!("someone.else@pawnee.com");
    let conflict = analyst
        .send(Method::POST, "/v1/customers", Some(&different), &headers)
        .await;
    assert_eq!(conflict.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(conflict.error_type(), "idempotency_conflict");

    // Keys are per API key: another caller's identical key is a different request.
    let other = server.client("analyst");
    let theirs = other
        .send(Method::POST, "/v1/customers", Some(&body), &headers)
        .await;
    assert_eq!(theirs.status, StatusCode::CREATED);
    assert_ne!(theirs.body["data"]["id"], first.body["data"]["id"]);

    // A retried decision replays its first answer instead of meeting its own 409.
    let listed = analyst.create(&individual(LISTED)).await;
    let review = format!("/v1/customers/{}/review", id(&listed));
    let decision = json!({"status": "verified", "note": "different person"});
    let decide = [("Idempotency-Key", "decide-1")];
    let first_decision = analyst
        .send(Method::PATCH, &review, Some(&decision), &decide)
        .await;
    let retried_decision = analyst
        .send(Method::PATCH, &review, Some(&decision), &decide)
        .await;
    assert_eq!(first_decision.status, StatusCode::OK);
    assert_eq!(retried_decision.status, StatusCode::OK);
    assert_eq!(retried_decision.body, first_decision.body);

    let events = analyst
        .get(&format!(
            "/v1/customers/{}/events",
            first.body["data"]["id"].as_str().unwrap()
        ))
        .await;
    let created = &events.body["data"][0];
    assert_eq!(created["action"], "created");
    assert_eq!(created["request_id"], "req-42");
    assert_eq!(created["correlation_id"], "corr-7");
    assert_eq!(
        created["api_request_id"],
        first.body["meta"]["api_request_id"]
    );
}

#[tokio::test]
async fn every_change_leaves_an_audit_row_and_deletion_keeps_them() {
    let server = start();
    let analyst = server.client("analyst");
    let admin = server.client("admin");
    let customer = analyst.create(&individual(LISTED)).await;
    let path = format!("/v1/customers/{}", id(&customer));
    analyst.put(&path, &individual(LISTED)).await;
    analyst
        .patch(
            &format!("{path}/review"),
            &json!({"status": "verified", "note": "different DOB"}),
        )
        .await;
    analyst
        .send(Method::PUT, &format!("{path}/refresh_review"), None, &[])
        .await;
    admin.get(&format!("{path}/unmasked")).await;
    let deleted = admin.delete(&path).await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(
        deleted.body["data"]["compliance_profile"]["ssn"],
        "***-**-****"
    );
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);

    let events = analyst.get(&format!("{path}/events")).await;
    assert_eq!(
        events.status,
        StatusCode::OK,
        "the log outlives the customer"
    );
    let rows = events.body["data"].as_array().unwrap();
    let actions: Vec<&str> = rows.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "created",
            "updated",
            "decided",
            "refreshed",
            "unmasked",
            "deleted"
        ]
    );
    let transitions: Vec<(Value, Value)> = rows
        .iter()
        .map(|e| (e["status_before"].clone(), e["status_after"].clone()))
        .collect();
    assert_eq!(transitions[0], (Value::Null, json!("review")));
    assert_eq!(transitions[2], (json!("review"), json!("verified")));
    assert_eq!(transitions[3], (json!("verified"), json!("review")));
    assert_eq!(transitions[5], (json!("review"), Value::Null));
    assert_eq!(rows[2]["note"], "different DOB");
    assert!(rows[2]["actor"].as_str().unwrap().contains("analyst"));
    assert_eq!(rows[4]["role"], "admin");
    assert_eq!(
        rows[4]["fields"],
        json!(["compliance_profile.dob", "compliance_profile.ssn"])
    );
    for row in rows {
        let text = row.to_string();
        assert!(!text.contains(SSN) && !text.contains("Putin"), "{text}");
    }

    // The erased customer's PII is gone from the database file and its log, not only from the API.
    drop(server);
}

#[tokio::test]
async fn erasure_leaves_no_pii_in_the_database_files() {
    let mut server = start();
    let admin = server.client("admin");
    let mut body = individual("Zebediah Quillfeather");
    body["external_id"] = json!("ext-zq");
    let customer = admin.create(&body).await;
    assert_eq!(
        admin
            .delete(&format!("/v1/customers/{}", id(&customer)))
            .await
            .status,
        StatusCode::OK
    );
    server.kill();
    let mut bytes = std::fs::read(&server.db).unwrap();
    if let Ok(wal) = std::fs::read(server.db.with_extension("db-wal")) {
        bytes.extend(wal);
    }
    for secret in ["Zebediah", "Quillfeather", SSN, "ext-zq"] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "{secret} survives in the database files"
        );
    }
}

#[tokio::test]
async fn easyofac_vocabulary_is_a_view_over_the_same_state() {
    let server = start();
    let analyst = server.client("analyst");
    let mut body = individual(LISTED);
    body["external_id"] = json!("eo-1");
    analyst.create(&body).await;
    let status = |reply: &common::Reply| reply.body["data"]["customer_status"].clone();
    let view = analyst.get("/v1/easyofac/customers/eo-1").await;
    assert_eq!(status(&view), "inspect");
    assert_eq!(view.body["data"]["id"], "eo-1");
    assert_eq!(view.body["data"]["customer_kyc"], 1);

    let update = |to: &str| json!({"id": "eo-1", "status": to});
    let path = "/v1/easyofac/updateCustomerStatus";
    let safe_from_inspect = analyst.post(path, &update("safe")).await;
    assert_eq!(safe_from_inspect.status, StatusCode::UNPROCESSABLE_ENTITY);
    let exception = analyst.post(path, &update("exception")).await;
    assert_eq!(exception.status, StatusCode::OK, "{}", exception.text);
    assert_eq!(status(&exception), "exception");
    let customer = analyst.get("/v1/customers?external_id=eo-1").await;
    assert_eq!(customer.body["data"][0]["status"], "verified");
    let r#unsafe = analyst.post(path, &update("unsafe")).await;
    assert_eq!(status(&r#unsafe), "unsafe");
    // Back to safe re-screens; the listed name puts it back in inspect, as EasyOFAC describes.
    let safe = analyst.post(path, &update("safe")).await;
    assert_eq!(safe.status, StatusCode::OK, "{}", safe.text);
    assert_eq!(status(&safe), "inspect");

    let mut clean = individual(CLEAN);
    clean["external_id"] = json!("eo-2");
    analyst.create(&clean).await;
    assert_eq!(
        status(&analyst.get("/v1/easyofac/customers/eo-2").await),
        "safe"
    );
    let bad = analyst
        .post(path, &json!({"id": "eo-2", "status": "inspect"}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn compliance_status_derives_its_checks_from_the_customer() {
    let server = start();
    let analyst = server.client("analyst");
    let clean = analyst.create(&individual(CLEAN)).await;
    let reply = analyst
        .get(&format!("/v1/compliance/status/{}", id(&clean)))
        .await;
    let data = &reply.body["data"];
    assert_eq!(data["isCompliant"], true, "{}", reply.text);
    assert_eq!(data["onboardingStatus"], "APPROVED");
    assert_eq!(data["nextAction"], "NONE");
    assert_eq!(data["summary"]["failed"], 0);
    assert_eq!(
        reply.body["message"],
        "Compliance status retrieved successfully"
    );
    assert!(reply.body["traceId"].is_string());

    let mut thin = individual(LISTED);
    thin.as_object_mut().unwrap().remove("compliance_profile");
    let listed = analyst.create(&thin).await;
    let reply = analyst
        .get(&format!("/v1/compliance/status/{}", id(&listed)))
        .await;
    let data = &reply.body["data"];
    assert_eq!(data["isCompliant"], false);
    assert_eq!(data["onboardingStatus"], "PROCESSING");
    assert_eq!(data["nextAction"], "UPDATE_PROFILE");
    assert_eq!(
        data["summary"]["requiredFailed"],
        json!(["KYC_DATA_PRESENT", "KYC_STATUS"])
    );
    let status_check = data["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "KYC_STATUS")
        .unwrap();
    assert_eq!(status_check["suggestedAction"], "WAIT");
}

#[tokio::test]
async fn processing_methods_and_sandbox_outcomes_behave_as_the_reference() {
    let server = start();
    let analyst = server.client("analyst");
    let mut skip = individual(LISTED);
    skip["config"] = json!({"processing_method": "skip"});
    let skipped = analyst.create(&skip).await;
    assert_eq!(skipped["status"], "pending");
    let review = analyst
        .get(&format!("/v1/customers/{}/review", id(&skipped)))
        .await;
    assert!(review.body["data"]["identity_details"].is_null());
    let refreshed = analyst
        .send(
            Method::PUT,
            &format!("/v1/customers/{}/refresh_review", id(&skipped)),
            None,
            &[],
        )
        .await;
    assert_eq!(refreshed.body["data"]["status"], "review");

    let mut background = individual(LISTED);
    background["config"] = json!({"processing_method": "background"});
    let queued = analyst.create(&background).await;
    assert_eq!(queued["status"], "pending");
    let path = format!("/v1/customers/{}", id(&queued));
    let mut status = Value::Null;
    for _ in 0..10_000 {
        status = analyst.get(&path).await.body["data"]["status"].clone();
        if status != "pending" {
            break;
        }
    }
    assert_eq!(status, "review", "background screening finished");

    let mut forced = individual(CLEAN);
    forced["config"] = json!({"sandbox_outcome": "review"});
    let refused = analyst.post("/v1/customers", &forced).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.references(), ["config.sandbox_outcome"]);
    drop(server);

    let sandbox = start_with(Options {
        extra: vec!["--sandbox".into(), "--rate-limit".into(), "0".into()],
        ..Options::default()
    });
    let analyst = sandbox.client("analyst");
    assert_eq!(analyst.create(&forced).await["status"], "review");
    forced["config"] = json!({"sandbox_outcome": "rejected"});
    assert_eq!(analyst.create(&forced).await["status"], "rejected");
}

#[tokio::test]
async fn each_key_is_rate_limited_with_retry_after() {
    let server = start_with(Options {
        extra: vec![
            "--rate-limit".into(),
            "1".into(),
            "--rate-burst".into(),
            "2".into(),
        ],
        ..Options::default()
    });
    let viewer = server.client("viewer");
    let other = server.client("viewer");
    assert_eq!(viewer.get("/v1/customers").await.status, StatusCode::OK);
    assert_eq!(viewer.get("/v1/customers").await.status, StatusCode::OK);
    let limited = viewer.get("/v1/customers").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_type(), "rate_limited");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait));
    assert_eq!(
        other.get("/v1/customers").await.status,
        StatusCode::OK,
        "per key"
    );
}

#[tokio::test]
async fn pii_never_reaches_the_log() {
    let mut server = start();
    let admin = server.client("admin");
    let customer = admin.create(&individual(CLEAN)).await;
    admin
        .get(&format!("/v1/customers/{}/unmasked", id(&customer)))
        .await;
    admin
        .get("/v1/customers?name=Swanson&email=ron.swanson@pawnee.com")
        .await;
    let mut bad = individual(CLEAN);
    bad["compliance_profile"]["dob"] = json!(3);
    admin.post("/v1/customers", &bad).await;
    server.kill();
    let log = server.log_text();
    assert!(log.contains("/v1/customers"), "the log names routes: {log}");
    for secret in [
        SSN,
        DOB,
        "Swanson",
        "ron.swanson",
        "pawnee",
        "+12128675309",
        "123 Main St",
    ] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_kill_9_mid_load() {
    let mut server = start();
    let analyst = server.client("analyst");
    let db = server.db.clone();
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let analyst = analyst.clone();
            tokio::spawn(async move {
                let mut body = individual(if i % 10 == 0 { LISTED } else { CLEAN });
                body["external_id"] = json!(format!("load-{i}"));
                let request = analyst
                    .http
                    .post(format!("{}/v1/customers", analyst.url))
                    .bearer_auth(analyst.key.as_ref().unwrap())
                    .json(&body)
                    .send()
                    .await;
                match request {
                    Ok(response) if response.status() == StatusCode::CREATED => response
                        .json::<Value>()
                        .await
                        .ok()
                        .map(|v| v["data"]["id"].as_str().unwrap().to_owned()),
                    _ => None,
                }
            })
        })
        .collect();
    // Kill once a quarter of the creates are acknowledged, while the rest are in flight.
    let mut acknowledged = Vec::new();
    let mut pending = tasks.into_iter();
    for task in pending.by_ref() {
        if let Some(id) = task.await.unwrap() {
            acknowledged.push(id);
        }
        if acknowledged.len() == 50 {
            break;
        }
    }
    server.kill();
    for task in pending {
        if let Some(id) = task.await.unwrap() {
            acknowledged.push(id);
        }
    }
    assert!(acknowledged.len() >= 50);

    let restarted = start_with(Options {
        db: Some(db.clone()),
        ..Options::default()
    });
    let reader = restarted.client("viewer");
    for id in &acknowledged {
        let reply = reader.get(&format!("/v1/customers/{id}")).await;
        assert_eq!(reply.status, StatusCode::OK, "acknowledged {id} was lost");
        let events = reader.get(&format!("/v1/customers/{id}/events")).await;
        assert_eq!(events.body["data"][0]["action"], "created");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let server = start();
    let document = server.anonymous().get("/v1/openapi.json").await.body;
    let paths = document["paths"].as_object().unwrap();
    for (path, method) in [
        ("/v1/customers", "post"),
        ("/v1/customers", "get"),
        ("/v1/customers/{id}", "get"),
        ("/v1/customers/{id}", "put"),
        ("/v1/customers/{id}", "delete"),
        ("/v1/customers/{id}/unmasked", "get"),
        ("/v1/customers/{id}/review", "get"),
        ("/v1/customers/{id}/review", "patch"),
        ("/v1/customers/{id}/refresh_review", "put"),
        ("/v1/customers/{id}/events", "get"),
        ("/v1/compliance/status/{customerId}", "get"),
        ("/v1/api_keys/current", "get"),
        ("/v1/easyofac/customers/{id}", "get"),
        ("/v1/easyofac/updateCustomerStatus", "post"),
        ("/v1/watchlists", "get"),
        ("/v1/watchlists/index", "get"),
    ] {
        assert!(paths[path].get(method).is_some(), "{method} {path}");
    }
    assert!(document["components"]["schemas"]["WatchListMatch"].is_object());
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn a_list_update_rescreens_customers_before_the_server_serves() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("clearance.db");
    let old = start_with(Options {
        lists: vec![common::shared_list("ofac-sdn-2022-01-31")],
        db: Some(db.clone()),
        ..Options::default()
    });
    let analyst = old.client("analyst");
    let designated_later = analyst.create(&individual(LISTED)).await;
    assert_eq!(
        designated_later["status"], "verified",
        "not on the 2022 list"
    );
    let cleared = analyst.create(&individual("Joaquin Guzman Loera")).await;
    assert_eq!(cleared["status"], "review");
    let decided = analyst
        .patch(
            &format!("/v1/customers/{}/review", id(&cleared)),
            &json!({"status": "verified", "note": "a different Joaquin"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK);
    let clean = analyst.create(&individual(CLEAN)).await;
    drop(old);

    let new = start_with(Options {
        db: Some(db.clone()),
        ..Options::default()
    });
    let analyst = common::Client {
        url: new.url.clone(),
        ..analyst
    };
    let status = |customer: &Value| {
        let analyst = analyst.clone();
        let path = format!("/v1/customers/{}", id(customer));
        async move { analyst.get(&path).await.body["data"]["status"].clone() }
    };
    assert_eq!(status(&designated_later).await, "review", "newly listed");
    assert_eq!(status(&cleared).await, "verified", "the clearance stands");
    assert_eq!(status(&clean).await, "verified");
    let review = analyst
        .get(&format!("/v1/customers/{}/review", id(&cleared)))
        .await;
    let carried = &review.body["data"]["identity_details"]["review_decision"]["note"];
    assert!(
        carried.as_str().unwrap().contains("carried forward"),
        "{carried}"
    );
    let events = analyst
        .get(&format!("/v1/customers/{}/events", id(&designated_later)))
        .await;
    let last = events.body["data"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["action"], "refreshed");
    assert_eq!(last["actor"], "system (list update)");
    assert_eq!(
        (last["status_before"].clone(), last["status_after"].clone()),
        (json!("verified"), json!("review"))
    );
    let count = events.body["data"].as_array().unwrap().len();
    drop(new);

    let again = start_with(Options {
        db: Some(db),
        ..Options::default()
    });
    let analyst = common::Client {
        url: again.url.clone(),
        ..analyst
    };
    let events = analyst
        .get(&format!("/v1/customers/{}/events", id(&designated_later)))
        .await;
    assert_eq!(
        events.body["data"].as_array().unwrap().len(),
        count,
        "screened once per list version"
    );
}
