//! The index against the exhaustive scan, on real list data: for random queries the candidate search
//! must return exactly what scoring every name returns at or above the threshold.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::LazyLock;

use clearance_screening::{Index, ListFile, Query, Snapshot};
use proptest::prelude::*;

const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");

/// The first 1,500 entries of the 2022 SDN list with their aliases: every kind of name, small enough for
/// the exhaustive scan to stay quick in a debug build.
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let read = |file: &str| std::fs::read(format!("{LISTS}/ofac-sdn-2022-01-31/{file}")).unwrap();
    let (sdn, alt) = (read("sdn.csv"), read("alt.csv"));
    let files = [
        ListFile {
            name: "sdn.csv",
            bytes: &sdn,
        },
        ListFile {
            name: "alt.csv",
            bytes: &alt,
        },
    ];
    let mut entities = Snapshot::load(&files, None).unwrap().entities;
    entities.truncate(1500);
    Index::build(entities)
});

/// A name from the list with some of its characters perturbed, or any string at all.
fn query() -> impl Strategy<Value = String> {
    let listed = (
        0..1500usize,
        0..4usize,
        proptest::collection::vec((0..40usize, any::<char>()), 0..3),
    )
        .prop_map(|(entity, alias, edits)| {
            let entity = &INDEX.entities()[entity];
            let names: Vec<&str> = entity.names().collect();
            let mut chars: Vec<char> = names[alias % names.len()].chars().collect();
            for (at, c) in edits {
                if !chars.is_empty() {
                    let at = at % chars.len();
                    chars[at] = c;
                }
            }
            chars.into_iter().collect()
        });
    prop_oneof![3 => listed, 1 => "[A-Za-z ,.'-]{0,30}", 1 => any::<String>()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn index_finds_exactly_what_a_full_scan_finds(name in query(), threshold in 0.70f64..0.95) {
        let query = Query::name(name);
        let indexed = INDEX.search(&query, threshold, usize::MAX);
        let scanned = INDEX.search_exhaustive(&query, threshold, usize::MAX);
        prop_assert_eq!(indexed, scanned);
    }

    #[test]
    fn fields_never_let_the_index_miss(name in query(), year in 1940u16..2000, threshold in 0.75f64..0.9) {
        let query = Query {
            name,
            date_of_birth: Some(year.to_string()),
            country: Some("Colombia".into()),
            kind: None,
        };
        prop_assert_eq!(
            INDEX.search(&query, threshold, usize::MAX),
            INDEX.search_exhaustive(&query, threshold, usize::MAX)
        );
    }
}

#[test]
fn finds_a_listed_name_with_evidence() {
    let entity = &INDEX.entities()[0];
    let matches = INDEX.search(&Query::name(entity.name.clone()), 0.82, 5);
    let best = &matches[0];
    assert_eq!(
        INDEX.entities()[best.entity as usize].source_id,
        entity.source_id
    );
    assert_eq!(best.score, 1.0);
    assert!(!best.evidence.tokens.is_empty());
}
