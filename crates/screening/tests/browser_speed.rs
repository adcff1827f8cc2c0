//! Screening speed in the browser, on the full 2024 SDN list with the 2026 aliases: loading and indexing,
//! and the same queries as the native benchmark, timed with `performance.now()` in headless Chromium.
//! Prints its figures (see the README); asserts only what the search finds, never a time.
#![cfg(target_arch = "wasm32")]

use clearance_screening::{DEFAULT_THRESHOLD, Index, Query, Snapshot};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/real_lists.rs"]
mod real_lists;

fn now() -> f64 {
    web_sys::window()
        .expect("a window")
        .performance()
        .expect("performance")
        .now()
}

#[wasm_bindgen_test]
fn screening_speed_in_the_browser() {
    let started = now();
    let files = real_lists::files();
    let index = Index::build(Snapshot::load(&files, None).unwrap().entities);
    let loaded = now() - started;
    let mut lines = vec![format!(
        "wasm: loaded and indexed {} entities, {} names in {loaded:.0} ms",
        index.entities().len(),
        index.name_count()
    )];
    for (label, name) in [
        ("clean name", "Kathryn Barr"),
        ("listed name", "Ayman al-Zawahiri"),
        ("misspelt listed name", "Sadam Husein al Tikriti"),
    ] {
        let query = Query::name(name);
        let mut times: Vec<f64> = (0..41)
            .map(|_| {
                let started = now();
                std::hint::black_box(index.search(&query, DEFAULT_THRESHOLD, 10));
                now() - started
            })
            .collect();
        times.sort_by(f64::total_cmp);
        lines.push(format!(
            "wasm: search: {label}: median {:.3} ms over {} runs",
            times[times.len() / 2],
            times.len()
        ));
    }
    let found = index.search(&Query::name("Ayman al-Zawahiri"), DEFAULT_THRESHOLD, 1);
    assert_eq!(index.entities()[found[0].entity as usize].source_id, "2676");
    for line in lines {
        console_log!("{line}");
    }
}
