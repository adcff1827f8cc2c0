//! Component tests, run in headless Chromium by `cargo test --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use clearance_api::{Health, ListSnapshot};
use clearance_console::components::health::HealthSummary;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn text_of_all(root: &web_sys::Element, selector: &str) -> Vec<String> {
    let nodes = root.query_selector_all(selector).unwrap();
    (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
fn health_summary_shows_version_and_each_snapshot() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let health = Health {
        status: "ok".into(),
        version: "9.8.7".into(),
        list_version: "abc123".into(),
        lists: vec![
            ListSnapshot {
                name: "OFAC SDN".into(),
                directory: Some("/srv/lists/ofac-sdn-2024-05-03".into()),
                date: "2024-05-03".into(),
                files: vec!["sdn.csv".into()],
            },
            ListSnapshot {
                name: "OFAC SDN aliases and addresses".into(),
                directory: None,
                date: "2026-06-02".into(),
                files: vec!["add.csv".into(), "alt.csv".into()],
            },
        ],
    };
    let _mounted = leptos::mount::mount_to(root.clone().unchecked_into(), move || {
        view! { <HealthSummary health=health.clone() /> }
    });
    assert_eq!(
        text_of_all(&root, "[data-testid=server-version]"),
        vec!["9.8.7"]
    );
    assert_eq!(
        text_of_all(&root, "[data-testid=list-date]"),
        vec!["2024-05-03", "2026-06-02"]
    );
    assert_eq!(
        text_of_all(&root, "[data-testid=list-name]"),
        vec!["OFAC SDN", "OFAC SDN aliases and addresses"]
    );
    let shown = root.text_content().unwrap_or_default();
    assert!(shown.contains("OFAC SDN, 2024-05-03"), "{shown}");
    assert!(
        !shown.contains("/srv/lists"),
        "no server path reaches the page"
    );
}
