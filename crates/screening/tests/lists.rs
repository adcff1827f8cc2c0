//! Loading real and broken list files: partial sets load, broken files name the file, line and field,
//! and nothing at all makes a parser, the normaliser or the scorer panic.
#![cfg(not(target_arch = "wasm32"))]

use clearance_screening::normalize::normalize;
use clearance_screening::score::{NameFeatures, score_name};
use clearance_screening::{EntityKind, ListFile, ListId, Snapshot};
use proptest::prelude::*;

const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{LISTS}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_2024_list_loads_with_the_newer_aliases_skipping_unknown_entities() {
    let (sdn, alt, add) = (
        read("ofac-sdn-2024-05-03/sdn.csv"),
        read("ofac-alt-add-2026-06-02/alt.csv"),
        read("ofac-alt-add-2026-06-02/add.csv"),
    );
    let files = [
        ListFile {
            name: "ofac-sdn-2024-05-03/sdn.csv",
            bytes: &sdn,
        },
        ListFile {
            name: "ofac-alt-add-2026-06-02/alt.csv",
            bytes: &alt,
        },
        ListFile {
            name: "ofac-alt-add-2026-06-02/add.csv",
            bytes: &add,
        },
    ];
    let snapshot = Snapshot::load(&files, Some("2024-05-03")).unwrap();
    let report = &snapshot.report;
    assert_eq!(report.entities, 14_965);
    assert!(
        report.skipped_aliases > 0 && report.skipped_addresses > 0,
        "{report:?}"
    );
    assert_eq!(snapshot.publisher, "OFAC");
    assert_eq!(snapshot.date.as_deref(), Some("2024-05-03"));
    assert_eq!(snapshot.content_hash.len(), 64);
    let kinds = |kind| snapshot.entities.iter().filter(|e| e.kind == kind).count();
    assert_eq!(kinds(EntityKind::Individual), 6_854);
    assert_eq!(kinds(EntityKind::Vessel), 851);
    assert_eq!(kinds(EntityKind::Aircraft), 376);
    let zawahiri = snapshot
        .entities
        .iter()
        .find(|e| e.source_id == "2676")
        .unwrap();
    assert_eq!(zawahiri.birth_dates[0].year_from, 1951);
    assert_eq!(zawahiri.birth_places, vec!["Giza, Egypt"]);
    assert!(zawahiri.programs.contains(&"SDGT".to_string()));
}

#[test]
fn the_consolidated_list_and_comments_load() {
    let names = [
        "cons_prim.csv",
        "cons_alt.csv",
        "cons_add.csv",
        "cons_comments.csv",
    ];
    let contents: Vec<Vec<u8>> = names
        .iter()
        .map(|n| read(&format!("ofac-consolidated-2025-12-19/{n}")))
        .collect();
    let files: Vec<ListFile<'_>> = names
        .iter()
        .zip(&contents)
        .map(|(name, bytes)| ListFile { name, bytes })
        .collect();
    let snapshot = Snapshot::load(&files, None).unwrap();
    assert_eq!(snapshot.report.entities, 442);
    assert!(
        snapshot
            .entities
            .iter()
            .all(|e| e.list == ListId::OfacConsolidated)
    );
}

#[test]
fn the_un_list_loads_with_its_own_date() {
    let xml = read("un-consolidated-2026-02-27/UN_consolidated.xml");
    let snapshot = Snapshot::load(
        &[ListFile {
            name: "UN_consolidated.xml",
            bytes: &xml,
        }],
        None,
    )
    .unwrap();
    assert_eq!(snapshot.report.entities, 1003);
    assert_eq!(snapshot.date.as_deref(), Some("2026-02-27"));
    let individuals = snapshot
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Individual)
        .count();
    assert_eq!(individuals, 730);
    let saddam = snapshot
        .entities
        .iter()
        .find(|e| e.aliases.iter().any(|a| a.name == "صدام حسين التكريتي"))
        .unwrap();
    assert!(saddam.nationalities.contains(&"Iraq".to_string()));
}

#[test]
fn a_malformed_file_names_file_line_and_field() {
    let bad = b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\"\r\nX7,\"BAD\",-0- ,\"CUBA\"\r\n";
    let err = Snapshot::load(
        &[ListFile {
            name: "lists/sdn.csv",
            bytes: bad,
        }],
        None,
    )
    .unwrap_err();
    assert_eq!(
        (err.file.as_str(), err.line, err.field.as_str()),
        ("lists/sdn.csv", 2, "ent_num")
    );
    let bad_type = b"36,\"X\",\"spaceship\",\"CUBA\"\n";
    let err = Snapshot::load(
        &[ListFile {
            name: "sdn.csv",
            bytes: bad_type,
        }],
        None,
    )
    .unwrap_err();
    assert_eq!((err.line, err.field.as_str()), (1, "SDN_Type"));
    let bad_xml = b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>\n</INDIVIDUALS>";
    let err = Snapshot::load(
        &[ListFile {
            name: "un.xml",
            bytes: bad_xml,
        }],
        None,
    )
    .unwrap_err();
    assert_eq!(err.file, "un.xml");
}

#[test]
fn aliases_for_unknown_entities_are_counted_not_fatal() {
    let sdn = b"1,\"ONE, Person\",individual,\"SDGT\"\n";
    let alt = b"1,10,\"aka\",\"UNO, Person\",-0-\n2,11,\"aka\",\"NOBODY\",-0-\n";
    let snapshot = Snapshot::load(
        &[
            ListFile {
                name: "sdn.csv",
                bytes: sdn,
            },
            ListFile {
                name: "alt.csv",
                bytes: alt,
            },
        ],
        None,
    )
    .unwrap();
    assert_eq!(snapshot.entities[0].aliases.len(), 1);
    assert_eq!(snapshot.report.skipped_aliases, 1);
}

proptest! {
    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), which in 0..6usize) {
        let name = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "cons_prim.csv", "list.xml"][which];
        let _ = Snapshot::load(&[ListFile { name, bytes: &bytes }], None);
    }

    #[test]
    fn csv_shaped_input_never_panics(text in r#"([0-9]{0,3}|"[^"]{0,8}"?|-0- ?|[a-z ]{0,6})(,([0-9]{0,3}|"[^"]{0,8}"?|-0- ?|[a-z ]{0,6})){0,12}(\r?\n)?"#) {
        for name in ["sdn.csv", "alt.csv", "add.csv"] {
            let _ = Snapshot::load(&[ListFile { name, bytes: text.as_bytes() }], None);
        }
    }

    #[test]
    fn xml_shaped_input_never_panics(text in r#"(<[A-Z_]{1,12}>|</[A-Z_]{1,12}>|<[A-Z_]{1,8}/>|[a-z0-9 &;#]{0,6}){0,30}"#) {
        let _ = Snapshot::load(&[ListFile { name: "un.xml", bytes: text.as_bytes() }], None);
    }

    #[test]
    fn normaliser_and_scorer_never_panic(a in any::<String>(), b in any::<String>()) {
        let (x, y) = (normalize(&a), normalize(&b));
        for token in x.iter().chain(&y) {
            prop_assert!(token.span.0 <= token.span.1);
        }
        let score = score_name(&NameFeatures::of(&x), &NameFeatures::of(&y)).score;
        prop_assert!((0.0..=1.0).contains(&score));
    }
}
