//! Component tests of the review console, in headless Chromium: rows from an API response, evidence
//! highlighting and the review keyboard. Masked PII is tested end to end (tests/e2e.rs), against what the
//! server really sends.
#![cfg(target_arch = "wasm32")]

use std::sync::{Arc, Mutex};

use clearance_api::{
    Breakdown, Correlation, Customer, CustomerReview, CustomerStatus, CustomerSummary, Decision,
    Envelope, IdentityDetails, Kyc, KycValidations, ListedEntity, PageMeta, TokenAlignment,
    WatchList, WatchListMatch,
};
use clearance_console::components::evidence::EvidenceView;
use clearance_console::components::queue_table::QueueTable;
use clearance_console::infra::list_query::ListQuery;
use clearance_console::pages::review::{ReviewAction, ReviewPanel};
use leptos::prelude::*;
use leptos_router::components::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(view: impl Fn() -> AnyView + 'static) -> (web_sys::Element, impl Drop) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone().unchecked_into(), view);
    (root, handle)
}

fn texts(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

/// A list page exactly as the server sends it.
const LIST_RESPONSE: &str = r#"{
  "data": [
    {"id": "c1", "created_at": "2026-11-21T10:00:43.379Z", "updated_at": "2026-11-21T10:00:43.379Z",
     "email": "ann@pawnee.com", "name": "Ann Perkins", "phone": "+12128675309", "status": "verified",
     "type": "individual", "external_id": "ext-1"},
    {"id": "c2", "created_at": "2026-11-21T10:01:00.000Z", "updated_at": "2026-11-21T10:01:00.000Z",
     "email": "x@example.com", "name": "<img src=x onerror=alert(1)>\u202eevil", "phone": "+12128675309",
     "status": "review", "type": "business"}
  ],
  "meta": {"api_request_id": "r", "api_request_timestamp": "2026-11-21T10:02:00.000Z", "max_page_size": 1000,
           "page_number": 1, "page_size": 50, "sort_by": "name", "sort_order": "asc", "total_items": 2,
           "total_pages": 1},
  "response_type": "array"
}"#;

#[wasm_bindgen_test]
fn the_list_renders_rows_from_an_api_response_and_marks_the_sorted_column() {
    let page: Envelope<Vec<CustomerSummary>, PageMeta> =
        serde_json::from_str(LIST_RESPONSE).unwrap();
    let mut customers = page.data;
    let mut long = customers[0].clone();
    long.name = "Ab".repeat(5 * 1024);
    customers.push(long);
    let query = ListQuery::default().sorted_by("name");
    let (root, _handle) = mount(move || {
        let (customers, query) = (customers.clone(), query.clone());
        view! {
            <Router>
                <QueueTable customers query now_ms=0.0 sort_link=Callback::new(|c: String| format!("/customers?sort_by={c}")) />
            </Router>
        }
        .into_any()
    });
    let rows = texts(&root, "[data-testid=customer-row]");
    assert_eq!(rows.len(), 3);
    assert!(
        rows[2].contains(&"Ab".repeat(5 * 1024)),
        "a 10 kB name renders whole"
    );
    let isolated = texts(&root, "td.name-cell bdi");
    assert!(
        isolated[1].contains('\u{202e}'),
        "a right-to-left override stays inside its <bdi>"
    );
    assert!(
        rows[0].contains("Ann Perkins")
            && rows[0].contains("verified")
            && rows[0].contains("ext-1")
    );
    assert!(rows[1].contains("review"), "{}", rows[1]);
    assert!(
        root.query_selector("tbody img").unwrap().is_none(),
        "markup in a name stays text"
    );
    assert!(rows[1].contains("<img src=x onerror=alert(1)>"));
    let sorted = root
        .query_selector("th[aria-sort=ascending]")
        .unwrap()
        .expect("the sorted column says so");
    assert!(sorted.text_content().unwrap().contains("Name"));
    assert_eq!(
        root.query_selector_all("th[aria-sort=none]")
            .unwrap()
            .length(),
        3,
        "the other sortable columns: score, time in review, created"
    );
}

#[wasm_bindgen_test]
fn the_list_query_round_trips_through_the_url() {
    let query = ListQuery {
        status: Some(CustomerStatus::Review),
        name: "José & Co".into(),
        sort_by: "name".into(),
        sort_order: "asc".into(),
        page_number: 3,
        page_size: 25,
        ..ListQuery::default()
    };
    let text = query.to_query();
    let params = leptos_router::params::ParamsMap::from_iter(
        text.split('&')
            .map(|pair| pair.split_once('=').unwrap())
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
    );
    assert_eq!(ListQuery::from_params(&params), query);
}

fn putin_match() -> WatchListMatch {
    WatchListMatch {
        correlation: Correlation::LikelyMatch,
        list_name: "OFAC SDN".into(),
        list_date: Some("2024-05-03".into()),
        match_fields: vec!["name".into()],
        urls: vec!["https://sanctionssearch.ofac.treas.gov/Details.aspx?id=35096".into()],
        score: 0.93,
        entity_id: "35096".into(),
        matched_name: "PUTIN, Vladimir Vladimirovich".into(),
        name_source: "primary".into(),
        customer_field: "name".into(),
        customer_name: "Vladimir Putin".into(),
        name_score: 0.93,
        tokens: vec![
            TokenAlignment {
                customer_token: "vladimir".into(),
                list_token: "vladimir".into(),
                customer_span: [0, 8],
                list_span: [7, 15],
                score: 1.0,
                kind: "exact".into(),
            },
            TokenAlignment {
                customer_token: "putin".into(),
                list_token: "putin".into(),
                customer_span: [9, 14],
                list_span: [0, 5],
                score: 1.0,
                kind: "exact".into(),
            },
        ],
        unmatched_customer_tokens: vec![],
        unmatched_list_tokens: vec!["vladimirovich".into()],
        field_checks: vec![],
        entity: ListedEntity {
            kind: "individual".into(),
            name: "PUTIN, Vladimir Vladimirovich".into(),
            aliases: vec![],
            programs: vec!["RUSSIA-EO14024".into()],
            dates_of_birth: vec!["1952-10-07".into()],
            nationalities: vec!["Russia".into()],
            addresses: vec![],
            remarks: None,
        },
        match_id: Some("m1".into()),
        decision: None,
        previously_cleared: None,
    }
}

#[wasm_bindgen_test]
fn evidence_marks_the_aligned_tokens_with_shared_numbers() {
    let m = putin_match();
    let (root, _handle) = mount(move || view! { <EvidenceView m=m.clone() /> }.into_any());
    let pair = |side: &str, n: u32| {
        text(
            &root,
            &format!("[data-testid={side}] mark[data-pair='{n}']"),
        )
    };
    assert_eq!(pair("customer", 1), "Vladimir1");
    assert_eq!(pair("list", 1), "Vladimir1");
    assert_eq!(pair("customer", 2), "Putin2");
    assert_eq!(pair("list", 2), "PUTIN2");
    assert_eq!(
        texts(&root, "[data-testid=list] mark").len(),
        2,
        "the unmatched patronymic is not marked"
    );
    assert!(text(&root, "[data-testid=list]").contains("Vladimirovich"));
    assert_eq!(text(&root, "[data-testid=total-score]"), "0.93");
    assert!(root.text_content().unwrap().contains("RUSSIA-EO14024"));
    assert!(root.text_content().unwrap().contains("Likely match"));
}

fn review_with_two_matches() -> CustomerReview {
    let customer: Customer = serde_json::from_str(
        r#"{"id": "c9", "created_at": "2026-11-21T10:00:43.379Z", "updated_at": "2026-11-21T10:00:43.379Z",
            "email": "v@example.com", "name": "Vladimir Putin", "phone": "+12128675309", "status": "review",
            "type": "individual"}"#,
    )
    .unwrap();
    let mut second = putin_match();
    second.matched_name = "PUTIN, Vladimir".into();
    second.entity_id = "99999".into();
    second.tokens[0].list_span = [7, 15];
    CustomerReview {
        customer_details: customer,
        identity_details: Some(IdentityDetails {
            review_id: "r1".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
            decision: Decision::Review,
            breakdown: Breakdown {},
            kyc: Kyc {
                validations: KycValidations::default(),
                codes: vec![],
                decision: Decision::Review,
            },
            watch_list: WatchList {
                codes: vec!["watchlist_hit".into()],
                decision: Decision::Review,
                matched: vec!["OFAC SDN".into()],
                matches: vec![putin_match(), second],
                list_version: "v".into(),
                threshold: 0.82,
                screened_names: vec!["Vladimir Putin".into()],
            },
            messages: Default::default(),
            review_decision: None,
            list_update: None,
            awaiting_approval: None,
        }),
    }
}

/// The review panel of `review`, mounted: its root, the panel, the actions it asked for.
fn mount_review(
    review: CustomerReview,
) -> (
    web_sys::Element,
    web_sys::Element,
    Arc<Mutex<Vec<ReviewAction>>>,
    impl Drop,
) {
    let actions: Arc<Mutex<Vec<ReviewAction>>> = Arc::default();
    let seen = Arc::clone(&actions);
    let (root, handle) = mount(move || {
        let seen = Arc::clone(&seen);
        let on_action = Callback::new(move |a: ReviewAction| seen.lock().unwrap().push(a));
        let review = review.clone();
        view! { <Router><ReviewPanel review on_action /></Router> }.into_any()
    });
    let panel = root
        .query_selector("[data-testid=review-panel]")
        .unwrap()
        .unwrap();
    (root, panel, actions, handle)
}

fn key(target: &web_sys::Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn the_review_keys_move_between_matches_and_decide_only_with_a_note() {
    let (root, panel, actions, _handle) = mount_review(review_with_two_matches());
    let position = || text(&root, "[data-testid=match-position]");
    let entity = || text(&root, "[data-testid=evidence] h3");
    assert_eq!(position(), "Match 1 of 2");
    assert_eq!(entity(), "PUTIN, Vladimir Vladimirovich");

    key(&panel, "j");
    leptos::task::tick().await;
    assert_eq!(position(), "Match 2 of 2");
    assert_eq!(entity(), "PUTIN, Vladimir");
    key(&panel, "j");
    leptos::task::tick().await;
    assert_eq!(position(), "Match 2 of 2", "j stops at the last match");
    key(&panel, "k");
    leptos::task::tick().await;
    assert_eq!(position(), "Match 1 of 2");

    key(&panel, "v");
    leptos::task::tick().await;
    assert!(
        actions.lock().unwrap().is_empty(),
        "no decision without a note"
    );
    assert!(text(&root, "#decision-note-error").contains("note"));

    let note: web_sys::HtmlTextAreaElement = root
        .query_selector("#decision-note")
        .unwrap()
        .unwrap()
        .unchecked_into();
    note.set_value("Different date of birth");
    note.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    key(&note, "r");
    leptos::task::tick().await;
    assert!(
        actions.lock().unwrap().is_empty(),
        "typing r in the note is not a shortcut"
    );

    key(&panel, "r");
    leptos::task::tick().await;
    assert_eq!(
        actions.lock().unwrap().as_slice(),
        [ReviewAction::Decide {
            status: CustomerStatus::Rejected,
            note: "Different date of birth".into()
        }]
    );
}

#[wasm_bindgen_test]
fn a_running_list_update_shows_its_progress_and_counts() {
    let job: clearance_api::ListJob = serde_json::from_value(serde_json::json!({
        "id": "j1", "state": "running", "trigger": "refresh", "to_version": "v2",
        "list_date": "2022-01-31", "delta": {"added": 457, "removed": 390, "changed": 101},
        "to_rescreen": 1012, "scanned": true, "done": 400, "moved_to_review": 71, "errors": 0,
        "started_at": "2026-12-02T10:00:00.000Z"
    }))
    .unwrap();
    let (root, _handle) = mount(move || {
        let job = job.clone();
        view! { <clearance_console::components::list_job::JobProgress job /> }.into_any()
    });
    let progress = root.query_selector("progress").unwrap().unwrap();
    assert_eq!(progress.get_attribute("max").as_deref(), Some("1012"));
    assert_eq!(progress.get_attribute("value").as_deref(), Some("400"));
    assert_eq!(
        text(&root, "[data-testid=list-job]"),
        "List update of 2022-01-31 (457 entries added, 390 removed, 101 changed; started 2026-12-02 \
         10:00 UTC): re-screening. 400 of 1,012 re-screened, 71 moved to review, 0 errors."
    );
}

/// Two rows of the review queue as the server sends them: one overdue, assigned to the signed-in key
/// and awaiting a second approval; one fresh and unassigned.
const QUEUE_RESPONSE: &str = r#"[
  {"id": "q1", "created_at": "2026-12-01T09:00:00.000Z", "updated_at": "2026-12-01T09:00:00.000Z",
   "email": "v@example.com", "name": "Vladimir Putin", "phone": "+12128675309", "status": "review",
   "type": "individual", "score": 0.9312, "assignee": "key_me", "review_since": "2026-12-01T09:00:00.000Z",
   "review_due_at": "2026-12-02T09:00:00.000Z",
   "strongest_match": {"party": "PUTIN, Vladimir Vladimirovich", "list_name": "OFAC SDN", "entity_id": "35096",
                       "correlation": "high_confidence"},
   "awaiting_approval": {"status": "rejected", "decided_by": "key_other (Ann)", "decided_at": "2026-12-03T08:00:00.000Z"}},
  {"id": "q2", "created_at": "2026-12-03T09:30:00.000Z", "updated_at": "2026-12-03T09:30:00.000Z",
   "email": "r@example.com", "name": "Ri Song Chol", "phone": "+12128675309", "status": "review",
   "type": "individual", "score": 0.85, "review_since": "2026-12-03T09:30:00.000Z",
   "review_due_at": "2026-12-04T09:30:00.000Z",
   "strongest_match": {"party": "RI, Song Chol", "list_name": "OFAC SDN", "entity_id": "111",
                       "correlation": "potential_match"}}
]"#;

fn queue_rows() -> Vec<CustomerSummary> {
    serde_json::from_str(QUEUE_RESPONSE).unwrap()
}

/// 2026-12-03T10:00:00Z.
const NOW_MS: f64 = 1_796_292_000_000.0;

#[wasm_bindgen_test]
fn the_queue_shows_the_party_score_wait_assignee_and_four_eyes_state() {
    let customers = queue_rows();
    let (root, _handle) = mount(move || {
        let customers = customers.clone();
        view! {
            <Router>
                <QueueTable customers query=ListQuery::queue() now_ms=NOW_MS me=Some("key_me".to_owned())
                    sort_link=Callback::new(|c: String| format!("/customers?sort_by={c}")) />
            </Router>
        }
        .into_any()
    });
    assert_eq!(
        texts(&root, "[data-testid=party]"),
        ["PUTIN, Vladimir Vladimirovich", "RI, Song Chol"]
    );
    assert_eq!(texts(&root, "[data-testid=score]"), ["0.93", "0.85"]);
    let score = root.query_selector("[data-testid=score]").unwrap().unwrap();
    assert!(score.class_list().contains("num"), "numbers right-aligned");
    let waits = texts(&root, "[data-testid=wait]");
    assert_eq!(
        waits[0], "2 d 1 h ⚠ overdue",
        "overdue in words, not colour alone"
    );
    assert_eq!(waits[1], "30 min");
    assert_eq!(texts(&root, "[data-testid=assignee]"), ["me", ""]);
    assert_eq!(
        texts(&root, "[data-testid=approval]"),
        ["awaiting second approval (rejected by key_other (Ann))", ""]
    );
    assert!(text(&root, "tbody tr").contains("High confidence"));
    let sorted = root
        .query_selector("th[aria-sort=descending]")
        .unwrap()
        .expect("the queue is sorted by score");
    assert!(sorted.text_content().unwrap().contains("Score"));
    let links: Vec<String> = (0..2)
        .map(|i| {
            root.query_selector_all("td.name-cell a")
                .unwrap()
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .get_attribute("href")
                .unwrap()
        })
        .collect();
    assert_eq!(
        links,
        ["/customers/q1/review", "/customers/q2/review"],
        "a row in review opens on its review"
    );
}

#[wasm_bindgen_test]
async fn j_and_k_move_through_the_queue_and_selection_follows_the_checkboxes() {
    let customers = queue_rows();
    let selected = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let (root, _handle) = mount(move || {
        let customers = customers.clone();
        view! {
            <Router>
                <QueueTable customers query=ListQuery::queue() now_ms=NOW_MS selected
                    sort_link=Callback::new(|c: String| format!("/customers?sort_by={c}")) />
            </Router>
        }
        .into_any()
    });
    let table = root.query_selector(".table-scroll").unwrap().unwrap();
    let focused_name = || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    };
    key(&table, "j");
    leptos::task::tick().await;
    assert_eq!(focused_name(), "Vladimir Putin");
    let focused = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element()
        .unwrap();
    key(&focused, "j");
    leptos::task::tick().await;
    assert_eq!(focused_name(), "Ri Song Chol");
    assert_eq!(
        text(&root, "tr[aria-current=true] td.name-cell"),
        "Ri Song Chol"
    );
    key(&table, "j");
    leptos::task::tick().await;
    assert_eq!(focused_name(), "Ri Song Chol", "j stops at the last row");
    key(&table, "k");
    leptos::task::tick().await;
    assert_eq!(focused_name(), "Vladimir Putin");

    let boxes = root.query_selector_all("input[type=checkbox]").unwrap();
    assert_eq!(boxes.length(), 3, "select all, and one per row");
    let second: web_sys::HtmlElement = boxes.item(2).unwrap().unchecked_into();
    second.click();
    leptos::task::tick().await;
    assert_eq!(
        selected.get_untracked().into_iter().collect::<Vec<_>>(),
        ["q2"]
    );
    let all: web_sys::HtmlElement = boxes.item(0).unwrap().unchecked_into();
    all.click();
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked().len(), 2);
}

#[wasm_bindgen_test]
async fn each_match_is_dismissed_or_confirmed_with_a_note_and_a_decided_one_is_closed() {
    let mut review = review_with_two_matches();
    if let Some(details) = review.identity_details.as_mut() {
        details.watch_list.matches[1].match_id = Some("m2".into());
        details.watch_list.matches[1].decision = Some(clearance_api::MatchReview {
            decision: clearance_api::MatchDecision::Dismissed,
            decided_by: "key_a (Ann)".into(),
            decided_at: "2026-12-03T08:00:00.000Z".into(),
            note: Some("other date of birth".into()),
        });
    }
    let (root, panel, actions, _handle) = mount_review(review);
    assert_eq!(
        texts(&root, "[data-testid=match-state]"),
        [
            "Open",
            "Dismissed by key_a (Ann) at 2026-12-03 08:00 UTC: other date of birth"
        ]
    );
    key(&panel, "d");
    leptos::task::tick().await;
    assert!(
        actions.lock().unwrap().is_empty(),
        "no decision without a note"
    );
    let note: web_sys::HtmlTextAreaElement = root
        .query_selector("#decision-note")
        .unwrap()
        .unwrap()
        .unchecked_into();
    note.set_value("A different person: born 1970");
    note.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    key(&panel, "c");
    leptos::task::tick().await;
    assert_eq!(
        actions.lock().unwrap().as_slice(),
        [ReviewAction::Match {
            match_id: "m1".into(),
            decision: clearance_api::MatchDecision::Confirmed,
            note: "A different person: born 1970".into(),
        }]
    );
    key(&panel, "j");
    leptos::task::tick().await;
    key(&panel, "d");
    leptos::task::tick().await;
    assert_eq!(
        actions.lock().unwrap().len(),
        1,
        "a match already decided is not decided again"
    );
}

#[wasm_bindgen_test]
fn a_review_awaiting_its_second_approval_says_so_and_freezes_match_decisions() {
    let mut review = review_with_two_matches();
    if let Some(details) = review.identity_details.as_mut() {
        details.awaiting_approval = Some(clearance_api::Approval {
            status: CustomerStatus::Rejected,
            decided_by: "key_a (Ann)".into(),
            decided_at: "2026-12-03T08:00:00.000Z".into(),
            note: Some("confirmed on the passport".into()),
        });
    }
    let (root, _panel, _actions, _handle) = mount_review(review);
    let state = text(&root, "[data-testid=four-eyes]");
    assert!(
        state.starts_with("Awaiting second approval: rejected by key_a (Ann) at 2026-12-03 08:00 UTC: confirmed on the passport"),
        "{state}"
    );
    let dismiss: web_sys::HtmlButtonElement = root
        .query_selector_all(".actions button")
        .unwrap()
        .item(0)
        .unwrap()
        .unchecked_into();
    assert!(dismiss.text_content().unwrap().starts_with("Dismiss"));
    assert!(
        dismiss.disabled(),
        "match decisions wait for the second analyst"
    );
}
