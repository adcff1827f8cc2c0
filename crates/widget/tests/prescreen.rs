//! The widget's pre-screen in headless Chromium, on the names-only index it downloads: the same entities
//! and scores as native screening (through the fixture the native test keeps current), and its speed,
//! which `make bench` prints from a release build. The timed loop asserts what the pre-screen finds,
//! never a time.
#![cfg(target_arch = "wasm32")]

mod support;

use clearance_screening::codec::{Contents, Identity};
use clearance_screening::{Index, Snapshot};
use clearance_widget::prescreen::potential_match;
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The names-only file the worker downloads.
fn encoded() -> Vec<u8> {
    let snapshot = Snapshot::load(&support::real_lists::files(), None).unwrap();
    let identity = Identity::of(&snapshot);
    Index::build(snapshot.entities).to_bytes(&identity, Contents::Names)
}

#[wasm_bindgen_test]
fn the_prescreen_finds_the_entities_and_scores_native_screening_finds() {
    let (index, _) = Index::from_bytes(&encoded()).unwrap();
    let expected = support::fixture();
    let found: Vec<_> = expected
        .iter()
        .map(|e| support::screen(&index, &e.name))
        .collect();
    let differences = support::differences(&expected, &found);
    assert!(differences.is_empty(), "{differences:#?}");
    for e in &expected {
        assert_eq!(
            potential_match(&index, std::slice::from_ref(&e.name)),
            !e.matches.is_empty(),
            "{}",
            e.name
        );
    }
}

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

#[wasm_bindgen_test]
fn prescreen_speed_in_the_browser() {
    let bytes = encoded();
    let started = now();
    let (index, _) = Index::from_bytes(&bytes).unwrap();
    let decoded = now() - started;
    let expected = support::fixture();
    let mut times = Vec::new();
    for _ in 0..5 {
        for e in &expected {
            let started = now();
            let matched = potential_match(&index, std::slice::from_ref(&e.name));
            times.push(now() - started);
            assert_eq!(matched, !e.matches.is_empty(), "{}", e.name);
        }
    }
    times.sort_by(f64::total_cmp);
    let (median, slowest) = (times[times.len() / 2], times[times.len() - 1]);
    let p95 = times[times.len() * 95 / 100];
    console_log!(
        "widget pre-screen (wasm, names-only index of {} bytes, decoded in {decoded:.0} ms): median \
         {median:.3} ms, 95th percentile {p95:.3} ms, slowest {slowest:.2} ms over {} names",
        bytes.len(),
        times.len()
    );
}
