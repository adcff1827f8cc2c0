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
use clearance_console::customers::CustomerTable;
use clearance_console::evidence::EvidenceView;
use clearance_console::list_query::ListQuery;
use clearance_console::review::{ReviewAction, ReviewPanel};
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
                <CustomerTable customers query sort_link=Callback::new(|c: String| format!("/customers?sort_by={c}")) />
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
        1,
        "the other sortable column"
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
    let actions: Arc<Mutex<Vec<ReviewAction>>> = Arc::default();
    let seen = Arc::clone(&actions);
    let review = review_with_two_matches();
    let (root, _handle) = mount(move || {
        let seen = Arc::clone(&seen);
        let on_action = Callback::new(move |a: ReviewAction| seen.lock().unwrap().push(a));
        let review = review.clone();
        view! { <Router><ReviewPanel review on_action /></Router> }.into_any()
    });
    let panel = root
        .query_selector("[data-testid=review-panel]")
        .unwrap()
        .unwrap();
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
        view! { <clearance_console::lists::JobProgress job /> }.into_any()
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
