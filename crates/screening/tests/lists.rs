//! Loading real and broken list files: partial sets load, broken files name the file, line and field,
//! and nothing at all makes a parser, the normaliser or the scorer panic.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::atomic::{AtomicU32, Ordering};

use clearance_screening::normalize::normalize;
use clearance_screening::score::{NameFeatures, score_name};
use clearance_screening::{EntityKind, ListError, ListFile, ListId, Snapshot};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

#[path = "support/seeded.rs"]
mod seeded;

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

/// Three entries in OFAC's format for generated alias, address and comment rows to belong to; without
/// them every such row is skipped before any of its fields is read. `{remarks}` takes generated remarks.
const SDN: &str = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
2676,\"AL ZAWAHIRI, Dr. Ayman\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"{remarks}\"\r\n\
306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n";
const LISTED: [u64; 3] = [36, 2676, 306];

fn sdn(remarks: &str) -> String {
    SDN.replace("{remarks}", &remarks.replace('"', "\"\""))
}

/// Loads `files` beside the fixture's sdn.csv.
fn load_with_sdn(remarks: &str, files: &[(&str, &[u8])]) -> Result<Snapshot, ListError> {
    let sdn = sdn(remarks);
    let mut all = vec![ListFile {
        name: "sdn.csv",
        bytes: sdn.as_bytes(),
    }];
    all.extend(files.iter().map(|&(name, bytes)| ListFile { name, bytes }));
    Snapshot::load(&all, None)
}

/// Every token span the normaliser reports for `name` must be a non-empty byte range of `name` that
/// starts and ends on a character boundary: the console slices the name with it.
fn spans_are_within(name: &str) -> Result<(), TestCaseError> {
    for token in normalize(name) {
        let (start, end) = (token.span.0 as usize, token.span.1 as usize);
        prop_assert!(
            start < end
                && end <= name.len()
                && name.is_char_boundary(start)
                && name.is_char_boundary(end),
            "{:?}: token {:?} has span {}..{}",
            name,
            token.text,
            start,
            end
        );
    }
    Ok(())
}

/// Text as lists and customers write it: Latin with diacritics, Cyrillic, Arabic, ligatures, combining
/// marks, punctuation; the scripts the transliteration table spells (Han, Hangul, kana, Devanagari, Tamil,
/// Thai, Hebrew, Georgian, Armenian, Ethiopic) with their vowel signs; or anything at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9 .,'()&/-]{0,24}",
        2 => "[A-Za-zÀ-ÿĀ-žА-яΑ-ωا-ي\u{0300}-\u{036f}\u{200b}-\u{200d}ﬁﬀ½²ⅣＡ-Ｚ ,.'’-]{0,16}",
        2 => SCRIPTS,
        1 => any::<String>(),
    ]
}

/// Names in the scripts the transliteration table covers, mixed with spaces, commas and Latin.
const SCRIPTS: &str = "[\u{4e00}-\u{9fff}\u{ac00}-\u{d7a3}\u{3041}-\u{30ff}\u{0905}-\u{094d}\u{0b85}-\u{0bcd}\u{0e01}-\u{0e4e}\u{05d0}-\u{05ea}\u{10d0}-\u{10fa}\u{0531}-\u{0586}\u{1200}-\u{135a}дж a-z,]{0,12}";

/// Free-text remarks in OFAC's style: `;`-separated parts that the remarks parser reads or keeps.
fn remarks() -> impl Strategy<Value = String> {
    let date = concat!(
        "(circa )?([0-9]{1,2} )?((Jan|Feb|Jun|Sep|Dec|Foo|May) )?[0-9]{1,5}",
        "( to ([0-9]{1,2} )?((Mar|Oct) )?[0-9]{4})?"
    );
    let part = prop_oneof![
        date.prop_map(|d| format!("DOB {d}")),
        date.prop_map(|d| format!("alt. DOB {d}")),
        text().prop_map(|t| format!("POB {t}")),
        text().prop_map(|t| format!("nationality {t}")),
        text().prop_map(|t| format!("citizen {t}")),
        (
            proptest::sample::select(vec!["a.k.a.", "f.k.a.", "n.k.a."]),
            text(),
            "['\"]?"
        )
            .prop_map(|(kind, t, q)| format!("{kind} {q}{t}{q}")),
        (
            proptest::sample::select(vec!["Passport", "National ID No.", "NIT #", "SSN"]),
            text(),
            text()
        )
            .prop_map(|(kind, number, country)| format!("{kind} {number} ({country}")),
        text(),
    ];
    proptest::collection::vec(part, 0..5).prop_map(|parts| parts.join("; "))
}

/// A field as OFAC writes it: quoted (with `""` for a quote), bare, or now and then `-0- ` for empty.
fn field(content: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (0..10usize, content).prop_map(|(how, text)| match how {
        0 => "-0- ".to_owned(),
        1..=3 => text.replace(['"', ',', '\r', '\n'], ""),
        _ => format!("\"{}\"", text.replace('"', "\"\"")),
    })
}

/// An ent_num: mostly one of the fixture's, sometimes another number (skipped) or not a number at all.
fn ent_num() -> impl Strategy<Value = String> {
    prop_oneof![
        30 => proptest::sample::select(LISTED.to_vec()).prop_map(|n| n.to_string()),
        3 => (0..100_000u64).prop_map(|n| n.to_string()),
        1 => "[0-9a-z -]{0,4}",
    ]
}

/// One row: the ent_num, then `fields`, of which a few may be missing at the end.
fn row(fields: Vec<BoxedStrategy<String>>) -> impl Strategy<Value = (String, String)> {
    let count = fields.len();
    (ent_num(), fields, 0..=count, 0..30usize).prop_map(move |(num, mut fields, missing, cut)| {
        // Mostly whole rows, now and then cut short.
        if cut == 0 {
            fields.truncate(count - missing);
        }
        let mut row = num.clone();
        for field in fields {
            row.push(',');
            row.push_str(&field);
        }
        (num, row)
    })
}

fn alt_row() -> impl Strategy<Value = (String, String)> {
    let types = vec!["aka", "fka", "nka", "a.k.a.", "AKA", ""];
    let alt_type = prop_oneof![
        30 => proptest::sample::select(types).prop_map(str::to_owned),
        1 => text(),
    ];
    // Mostly a name with a letter in it (an empty one is an error).
    let name = prop_oneof![
        30 => (text(), "[A-Za-zÀ-ÿА-я]", text()).prop_map(|(a, b, c)| a + &b + &c),
        1 => text(),
    ];
    let remarks = prop_oneof![Just("-0- ".to_owned()), Just("weak".to_owned()), text()];
    row(vec![
        field("[0-9]{1,5}").boxed(),
        field(alt_type).boxed(),
        field(name)
            .prop_filter("an alias has a name", |f| f != "-0- ")
            .boxed(),
        field(remarks).boxed(),
    ])
}

fn add_row() -> impl Strategy<Value = (String, String)> {
    row(vec![
        field("[0-9]{1,5}").boxed(),
        field(text()).boxed(),
        field(text()).boxed(),
        field(text()).boxed(),
        field(text()).boxed(),
    ])
}

fn comment_row() -> impl Strategy<Value = (String, String)> {
    row(vec![field(remarks()).boxed()])
}

fn rows(
    row: impl Strategy<Value = (String, String)>,
) -> impl Strategy<Value = (Vec<String>, String)> {
    (
        proptest::collection::vec(row, 0..6),
        prop_oneof![Just("\r\n"), Just("\n")],
        any::<bool>(),
    )
        .prop_map(|(rows, newline, eof)| {
            let nums = rows.iter().map(|(num, _)| num.clone()).collect();
            let mut text: String = rows
                .iter()
                .map(|(_, row)| format!("{row}{newline}"))
                .collect();
            if eof {
                text.push('\u{1a}');
            }
            (nums, text)
        })
}

/// How many of `nums` name an entity the fixture does not list.
fn unlisted(nums: &[String]) -> usize {
    nums.iter()
        .filter(|n| !n.trim().parse().is_ok_and(|n: u64| LISTED.contains(&n)))
        .count()
}

/// Generated alias, address and comment rows loaded with the sdn.csv they refer to, so that their fields
/// are read: loading never panics, a row for a listed entity is attached or rejected (never skipped), and
/// every name loaded normalises to spans within it. Most generated sets must load, or the test would
/// check little.
#[test]
fn alias_address_and_comment_rows_for_listed_entities_are_parsed() {
    let cases = 256;
    let loaded = AtomicU32::new(0);
    let files = (
        remarks(),
        rows(alt_row()),
        rows(add_row()),
        rows(comment_row()),
    );
    let result =
        TestRunner::new(seeded::config(cases)).run(&files, |(sdn_remarks, alt, add, comments)| {
            let result = load_with_sdn(
                &sdn_remarks,
                &[
                    ("alt.csv", alt.1.as_bytes()),
                    ("add.csv", add.1.as_bytes()),
                    ("sdn_comments.csv", comments.1.as_bytes()),
                ],
            );
            let Ok(snapshot) = result else {
                return Ok(());
            };
            let report = &snapshot.report;
            prop_assert_eq!(report.skipped_aliases, unlisted(&alt.0));
            prop_assert_eq!(report.skipped_addresses, unlisted(&add.0));
            prop_assert_eq!(report.skipped_comments, unlisted(&comments.0));
            for entity in &snapshot.entities {
                let rows = |nums: &[String]| {
                    nums.iter()
                        .filter(|n| n.trim().parse().ok() == entity.source_id.parse::<u64>().ok())
                        .count()
                };
                // Aliases from the remarks come first, then one per alias row.
                prop_assert!(entity.aliases.len() >= rows(&alt.0), "{:?}", entity);
                prop_assert_eq!(entity.addresses.len(), rows(&add.0), "{:?}", entity);
                for name in entity.names() {
                    spans_are_within(name)?;
                }
            }
            if alt.0.len() + add.0.len() + comments.0.len()
                > unlisted(&alt.0) + unlisted(&add.0) + unlisted(&comments.0)
            {
                loaded.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let loaded = loaded.into_inner();
    assert!(
        loaded >= cases / 2,
        "only {loaded} of {cases} sets loaded with a row attached to a listed entity"
    );
}

proptest! {
    #![proptest_config(seeded::config(256))]

    /// Any bytes as each kind of file; an alias, address or comments file goes beside the fixture's
    /// sdn.csv, with its first row for a listed entity, so that at least that row's fields are read.
    #[test]
    fn parsers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400), which in 0..6usize) {
        let name = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "cons_prim.csv", "list.xml"][which];
        let _ = Snapshot::load(&[ListFile { name, bytes: &bytes }], None);
        if (1..4).contains(&which) {
            let bytes = [b"2676,".as_slice(), &bytes].concat();
            let _ = load_with_sdn("", &[(name, &bytes)]);
        }
    }

    #[test]
    fn csv_shaped_input_never_panics(
        num in ent_num(),
        text in r#"(,([0-9]{0,3}|"[^"]{0,8}"?|-0- ?|[a-z ]{0,6})){0,12}(\r?\n)?"#,
    ) {
        let text = format!("{num}{text}");
        for name in ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"] {
            let _ = Snapshot::load(&[ListFile { name, bytes: text.as_bytes() }], None);
            let _ = load_with_sdn("", &[(name, text.as_bytes())]);
        }
    }

    #[test]
    fn xml_shaped_input_never_panics(text in r#"(<[A-Z_]{1,12}>|</[A-Z_]{1,12}>|<[A-Z_]{1,8}/>|[a-z0-9 &;#]{0,6}){0,30}"#) {
        let _ = Snapshot::load(&[ListFile { name: "un.xml", bytes: text.as_bytes() }], None);
    }

    #[test]
    fn normaliser_and_scorer_never_panic(a in text(), b in text()) {
        let (x, y) = (normalize(&a), normalize(&b));
        spans_are_within(&a)?;
        spans_are_within(&b)?;
        let score = score_name(&NameFeatures::of(&x), &NameFeatures::of(&y)).score;
        prop_assert!((0.0..=1.0).contains(&score));
    }
}
