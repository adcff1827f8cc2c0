//! Screening speed on the full 2024 SDN list with the 2026 aliases and addresses: loading and indexing,
//! and single queries of the kinds an onboarding flow sends (a clean name, a listed name, a misspelt
//! listed name). Run with `make bench`; the figures are in the README.

use std::path::Path;
use std::time::Instant;

use clearance_screening::{DEFAULT_THRESHOLD, Index, ListFile, Query, Snapshot};
use criterion::{Criterion, criterion_group, criterion_main};

const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");

fn read_lists() -> Vec<(String, Vec<u8>)> {
    [
        "ofac-sdn-2024-05-03/sdn.csv",
        "ofac-alt-add-2026-06-02/alt.csv",
        "ofac-alt-add-2026-06-02/add.csv",
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

/// A mix of customer names: most onboarding names are not on any list.
const MIX: &[&str] = &[
    "Kathryn Barr",
    "Ingeborg Abrahamsen",
    "Mohammed Ali Hassan",
    "Maria Garcia Lopez",
    "John Michael Smith",
    "Ayman al-Zawahiri",
    "BANCO NACIONAL DE CUBA",
    "Sadam Husein al Tikriti",
    "Jhon Eidelber Cano Correa",
    "Li Wei",
    "Olga Petrova",
    "Rosneft Trading SA",
];

fn bench(c: &mut Criterion) {
    let files = read_lists();
    c.bench_function("load and index 2024 SDN + 2026 aliases", |b| {
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
    // The median over a mix, per query, printed beside criterion's figures.
    let mut times: Vec<f64> = (0..50)
        .flat_map(|_| MIX.iter())
        .map(|name| {
            let query = Query::name(*name);
            let started = Instant::now();
            std::hint::black_box(index.search(&query, DEFAULT_THRESHOLD, 10));
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "search: mixed names, per query: median {:.3} ms, p90 {:.3} ms, max {:.3} ms",
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() - 1]
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
