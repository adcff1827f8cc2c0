//! The pre-screen fixture is what native screening finds today: the browser test compares the widget's
//! names-only index against it, so the two agree through it. The sample is every sixth second name of
//! the shared name pairs, the first twenty clean US names, and every five hundredth name of the held-out
//! multi-script negatives (every script the transliteration covers) with four listed people in their own
//! scripts. `CLEARANCE_UPDATE_FIXTURES=1`
//! rewrites it after a deliberate change to matching.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use clearance_screening::{Index, Snapshot};

fn sample() -> Vec<String> {
    let eval = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval");
    let pairs = std::fs::read_to_string(format!("{eval}/name-pairs.csv")).unwrap();
    let clean = std::fs::read_to_string(format!("{eval}/negatives-us.csv")).unwrap();
    let mut names: Vec<String> = csv::Reader::from_reader(pairs.as_bytes())
        .records()
        .step_by(6)
        .map(|r| r.unwrap()[3].to_owned())
        .collect();
    names.extend(
        csv::Reader::from_reader(clean.as_bytes())
            .records()
            .take(20)
            .map(|r| r.unwrap()[0].to_owned()),
    );
    let heldout = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/heldout");
    let scripts = std::fs::read_to_string(format!("{heldout}/negatives-multiscript.csv")).unwrap();
    names.extend(
        csv::Reader::from_reader(scripts.as_bytes())
            .records()
            .step_by(500)
            .map(|r| r.unwrap()[0].to_owned()),
    );
    // Listed people written in their own scripts, so the sample holds matches that need them.
    names.extend(["李方伟", "قاسم سليماني", "Рамзан Кадыров", "Владимир Путин"].map(str::to_owned));
    names
}

#[test]
fn the_fixture_is_what_native_screening_finds() {
    let snapshot = Snapshot::load(&support::real_lists::files(), None).unwrap();
    let index = Index::build(snapshot.entities);
    let found: Vec<_> = sample()
        .iter()
        .map(|n| support::screen(&index, n))
        .collect();
    assert!(found.iter().filter(|e| !e.matches.is_empty()).count() > 20);
    let json = serde_json::to_string_pretty(&found).unwrap() + "\n";
    if std::env::var_os("CLEARANCE_UPDATE_FIXTURES").is_some() {
        // The fixture this build compiled in is the old one: rewritten, it is checked on the next run.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/prescreen.json");
        std::fs::write(path, &json).unwrap();
        return;
    }
    let differences = support::differences(&support::fixture(), &found);
    assert!(
        differences.is_empty(),
        "native screening changed (rerun with CLEARANCE_UPDATE_FIXTURES=1 if that was meant): {differences:#?}"
    );
}
