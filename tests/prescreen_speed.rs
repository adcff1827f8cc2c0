//! The in-browser pre-screen's speed, as the new-customer form and ad-hoc search use it: decoding the
//! downloaded index, then `index::screen` (search plus the evidence the form shows, as the pre-screen
//! worker runs it) for a mix of names,
//! timed with `performance.now()` in headless Chromium. `make bench` runs it in release and the README
//! quotes it; it asserts what the pre-screen finds, never a time.
#![cfg(target_arch = "wasm32")]

use clearance_console::infra::index as prescreen;
use clearance_screening::codec::{Contents, Identity};
use clearance_screening::{Index, Snapshot};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../crates/screening/tests/support/real_lists.rs"]
mod real_lists;

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

#[wasm_bindgen_test]
fn prescreen_speed_in_the_browser() {
    let files = real_lists::files();
    let snapshot = Snapshot::load(&files, Some("2024-05-03")).unwrap();
    let identity = Identity::of(&snapshot);
    let bytes = Index::build(snapshot.entities).to_bytes(&identity, Contents::Full);
    let started = now();
    let (index, _) = Index::from_bytes(&bytes).unwrap();
    let decoded = now() - started;
    let names = [
        "Kathryn Barr",
        "Vladimir Putin",
        "Ayman al-Zawahiri",
        "Sadam Husein al Tikriti",
        "Maria Garcia",
        "Bank Rossiya",
    ];
    let mut times = Vec::new();
    for _ in 0..20 {
        for name in names {
            let started = now();
            let matches = prescreen::screen(&index, name);
            times.push(now() - started);
            if name == "Vladimir Putin" {
                assert!(matches.iter().any(|m| m.matched_name.starts_with("PUTIN")));
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let worst = times[times.len() - 1];
    console_log!(
        "prescreen (wasm, 2024 SDN + 2026 aliases): index of {} bytes decoded in {decoded:.0} ms; \
         prescreen median {median:.2} ms, slowest {worst:.2} ms over {} names",
        bytes.len(),
        times.len()
    );
}
