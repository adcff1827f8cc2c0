//! Screening speed on the default lists (the 2024 SDN list with the 2026 aliases and addresses, OFAC's
//! consolidated list and the UN list): loading and indexing, single queries of the kinds an onboarding
//! flow sends (a clean name, a listed name, a misspelt listed name), and the median and 99th percentile
//! over two sets of names: every name of the held-out multi-script negatives' report half that a sample
//! takes (about 6,000, in some twenty scripts), and its Latin names alone. One core. Run with `make bench`;
//! the figures are in the README.

use std::path::Path;
use std::time::Instant;

use clearance_screening::{DEFAULT_THRESHOLD, Index, ListFile, Query, Snapshot};
use criterion::{Criterion, criterion_group, criterion_main};

const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");
const NAMES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../eval/heldout/negatives-multiscript.csv"
);

fn read_lists() -> Vec<(String, Vec<u8>)> {
    [
        "ofac-sdn-2024-05-03/sdn.csv",
        "ofac-alt-add-2026-06-02/alt.csv",
        "ofac-alt-add-2026-06-02/add.csv",
        "ofac-consolidated-2025-12-19/cons_prim.csv",
        "ofac-consolidated-2025-12-19/cons_alt.csv",
        "ofac-consolidated-2025-12-19/cons_add.csv",
        "un-consolidated-2026-02-27/UN_consolidated.xml",
    ]
    .iter()
    .map(|file| {
        let path = Path::new(LISTS).join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        (file.to_string(), bytes)
    })
    .collect()
}

fn load(files: &[(String, Vec<u8>)]) -> Index {
    let files: Vec<ListFile<'_>> = files
        .iter()
        .map(|(name, bytes)| ListFile { name, bytes })
        .collect();
    let snapshot = Snapshot::load(&files, Some("2024-05-03")).expect("the shared lists load");
    Index::build(snapshot.entities)
}

/// Every fourth name of the multi-script negatives' report half: about 6,000 names.
fn mixed_scripts() -> Vec<String> {
    let text = std::fs::read_to_string(NAMES).unwrap_or_else(|e| panic!("{NAMES}: {e}"));
    text.lines()
        .skip(1)
        .filter(|line| line.ends_with(",report"))
        .step_by(4)
        .filter_map(|line| line.split(',').next())
        .map(str::to_owned)
        .collect()
}

/// Per-query times in milliseconds, sorted, over `rounds` passes of `names`.
fn timed(index: &Index, names: &[String], rounds: usize) -> Vec<f64> {
    let mut times: Vec<f64> = (0..rounds)
        .flat_map(|_| names.iter())
        .map(|name| {
            let query = Query::name(name.clone());
            let started = Instant::now();
            std::hint::black_box(index.search(&query, DEFAULT_THRESHOLD, 10));
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times
}

fn bench(c: &mut Criterion) {
    let files = read_lists();
    c.bench_function("load and index the default lists", |b| {
        b.iter(|| load(&files))
    });
    let index = load(&files);
    for (label, name) in [
        ("clean name", "Kathryn Barr"),
        ("listed name", "Ayman al-Zawahiri"),
        ("misspelt listed name", "Sadam Husein al Tikriti"),
    ] {
        let query = Query::name(name);
        c.bench_function(&format!("search: {label}"), |b| {
            b.iter(|| index.search(&query, DEFAULT_THRESHOLD, 10))
        });
    }
    let mixed = mixed_scripts();
    let latin: Vec<String> = mixed
        .iter()
        .filter(|name| name.chars().all(|c| u32::from(c) < 0x250))
        .cloned()
        .collect();
    for (label, names) in [("mixed scripts", &mixed), ("Latin only", &latin)] {
        let times = timed(&index, names, 3);
        println!(
            "search: {label} ({} names), per query: median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            names.len(),
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            times[times.len() - 1]
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
