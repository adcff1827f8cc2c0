//! The index against the exhaustive scan, on real list data: for random queries the candidate search
//! must return exactly what scoring every name returns at or above the threshold.
//!
//! The queries are mostly listed names as a customer might mistype them (characters substituted,
//! inserted, deleted or swapped, a word left out or added, two words run together, a word split, the name
//! cut at a field width, the vowels dropped, a sound respelt), so most of them find something and the
//! pruning has names to lose; the rest are arbitrary text, some of it in the scripts the transliteration
//! table spells. The whole list is indexed, the queries carry dates of birth, countries and entity types,
//! which move scores across the threshold, and many are screened at a threshold just under the best score
//! they reach.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU32, Ordering};

use clearance_screening::{Correlation, EntityKind, Index, ListFile, Memo, Query, Snapshot};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

#[path = "support/seeded.rs"]
mod seeded;

const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists");

/// The whole 2022 SDN list with its aliases and addresses (the addresses give most entities a country).
static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let read = |file: &str| std::fs::read(format!("{LISTS}/ofac-sdn-2022-01-31/{file}")).unwrap();
    let (sdn, alt, add) = (read("sdn.csv"), read("alt.csv"), read("add.csv"));
    let files = [
        ListFile {
            name: "sdn.csv",
            bytes: &sdn,
        },
        ListFile {
            name: "alt.csv",
            bytes: &alt,
        },
        ListFile {
            name: "add.csv",
            bytes: &add,
        },
    ];
    Index::build(Snapshot::load(&files, None).unwrap().entities)
});

/// A typing slip.
#[derive(Clone, Debug)]
enum Edit {
    Substitute(usize, char),
    Insert(usize, char),
    Delete(usize),
    /// Swaps two adjacent characters.
    Transpose(usize),
    /// Leaves out a whole word.
    DropToken(usize),
    /// Writes two adjacent words as one.
    Glue(usize),
    /// Adds a word the list name lacks (a middle name, a trading style).
    AddWord(usize, String),
    /// Keeps only the first characters, as a field of fixed width stores a name.
    Cut(usize),
    /// Drops every vowel after each word's first letter (`Mhmmd`).
    DropVowels,
    /// Writes a sound another way that shares its comparison key (`ph` and `f`, `y` and `i`, `rn` and
    /// `m`, a letter doubled), so two spellings of one key meet.
    Respell(usize),
}

/// Mostly letters, sometimes a space (which splits a word) or any character at all.
fn typed_char() -> impl Strategy<Value = char> {
    prop_oneof![8 => proptest::char::range('a', 'z'), 1 => Just(' '), 1 => any::<char>()]
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = 0..64usize;
    prop_oneof![
        (at.clone(), typed_char()).prop_map(|(at, c)| Edit::Substitute(at, c)),
        (at.clone(), typed_char()).prop_map(|(at, c)| Edit::Insert(at, c)),
        at.clone().prop_map(Edit::Delete),
        at.clone().prop_map(Edit::Transpose),
        at.clone().prop_map(Edit::DropToken),
        at.clone().prop_map(Edit::Glue),
        (8..40usize).prop_map(Edit::Cut),
        Just(Edit::DropVowels),
        at.clone().prop_map(Edit::Respell),
        (
            at,
            prop_oneof![
                proptest::sample::select(vec![
                    "Mohammed",
                    "Ali",
                    "Maria",
                    "Trading",
                    "International"
                ])
                .prop_map(str::to_owned),
                "[a-z]{2,9}",
            ]
        )
            .prop_map(|(at, word)| Edit::AddWord(at, word)),
    ]
}

fn apply(name: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    for edit in edits {
        match *edit {
            Edit::Substitute(at, c) if !chars.is_empty() => {
                let at = at % chars.len();
                chars[at] = c;
            }
            Edit::Insert(at, c) => chars.insert(at % (chars.len() + 1), c),
            Edit::Delete(at) if !chars.is_empty() => {
                chars.remove(at % chars.len());
            }
            Edit::Transpose(at) if chars.len() >= 2 => {
                let at = at % (chars.len() - 1);
                chars.swap(at, at + 1);
            }
            Edit::Cut(width) => chars.truncate(width),
            Edit::DropVowels => {
                let mut out = Vec::with_capacity(chars.len());
                for (k, &c) in chars.iter().enumerate() {
                    let first = k == 0 || !chars[k - 1].is_alphabetic();
                    if first || !"aeiouAEIOU".contains(c) {
                        out.push(c);
                    }
                }
                chars = out;
            }
            Edit::Respell(at) if !chars.is_empty() => {
                let text: String = chars.iter().collect();
                let from = at % chars.len();
                let head: String = chars[..from].iter().collect();
                let tail = &text[head.len()..];
                let swaps = [
                    ("ph", "f"),
                    ("f", "ph"),
                    ("y", "i"),
                    ("i", "y"),
                    ("m", "rn"),
                    ("rn", "m"),
                    ("ou", "u"),
                ];
                let respelt = swaps
                    .iter()
                    .find_map(|(a, b)| tail.find(a).map(|k| (k, a, b)))
                    .map(|(k, a, b)| format!("{head}{}{b}{}", &tail[..k], &tail[k + a.len()..]))
                    .unwrap_or_else(|| {
                        let mut doubled = text.clone();
                        doubled.insert(head.len(), chars[from]);
                        doubled
                    });
                chars = respelt.chars().collect();
            }
            Edit::DropToken(at) | Edit::Glue(at) | Edit::AddWord(at, _) => {
                let text: String = chars.iter().collect();
                let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
                match edit {
                    Edit::AddWord(_, word) => words.insert(at % (words.len() + 1), word.clone()),
                    _ if words.len() < 2 => continue,
                    Edit::Glue(_) => {
                        let at = at % (words.len() - 1);
                        let next = words.remove(at + 1);
                        words[at].push_str(&next);
                    }
                    _ => {
                        words.remove(at % words.len());
                    }
                }
                chars = words.join(" ").chars().collect();
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

/// An entity (by position) and a name for the query: one of the entity's names with a few slips, or,
/// now and then, any text at all (the entity then only supplies the other fields).
fn name() -> impl Strategy<Value = (usize, String)> {
    let entities = INDEX.entities().len();
    let listed = (
        0..entities,
        0..8usize,
        proptest::collection::vec(edit(), 0..3),
    )
        .prop_map(|(entity, alias, edits)| {
            let names: Vec<&str> = INDEX.entities()[entity].names().collect();
            (entity, apply(names[alias % names.len()], &edits))
        });
    prop_oneof![
        8 => listed,
        1 => (0..entities, "[A-Za-z ,.'-]{0,30}"),
        1 => (0..entities, SCRIPTS),
        1 => (0..entities, any::<String>()),
    ]
}

/// Names in the scripts the transliteration table spells (Han and Hangul a syllable per token, kana,
/// Devanagari and Tamil with their vowel signs, Thai, Hebrew, Georgian, Armenian, Ethiopic), with Latin.
const SCRIPTS: &str = "[\u{4e00}-\u{9fff}\u{ac00}-\u{d7a3}\u{3041}-\u{30ff}\u{0905}-\u{094d}\u{0b85}-\u{0bcd}\u{0e01}-\u{0e4e}\u{05d0}-\u{05ea}\u{10d0}-\u{10fa}\u{0531}-\u{0586}\u{1200}-\u{135a} a-z]{1,10}";

const COUNTRIES: [&str; 12] = [
    "Colombia",
    "Iran",
    "RU",
    "Cuba",
    "Mexico",
    "Syria",
    "China",
    "Lebanon",
    "Venezuela",
    "Panama",
    "AE",
    "United Kingdom",
];

/// A query with the other fields: each absent, the entity's own, or another value, weighted towards the
/// entity's own so that most queries still find it.
fn query() -> impl Strategy<Value = Query> {
    let birth = (
        prop_oneof![
            2 => Just(Birth::None),
            3 => Just(Birth::Own),
            2 => Just(Birth::Near),
            1 => Just(Birth::Other),
        ],
        -2..=2i32,
        1..=12u8,
        1..=28u8,
        1930..2005i32,
    );
    let country = (
        prop_oneof![1 => Just(None), 2 => Just(Some(true)), 1 => Just(Some(false))],
        0..64usize,
    );
    let kind = prop_oneof![
        1 => Just(None),
        2 => Just(Some(None)),
        1 => proptest::sample::select(vec![
            EntityKind::Individual,
            EntityKind::Organization,
            EntityKind::Vessel,
            EntityKind::Aircraft,
        ])
        .prop_map(|kind| Some(Some(kind))),
    ];
    (name(), birth, country, kind).prop_map(|((entity, name), birth, country, kind)| {
        let entity = &INDEX.entities()[entity];
        let (birth, offset, month, day, year) = birth;
        let date_of_birth = match (birth, entity.birth_dates.first()) {
            (Birth::None, _) => None,
            // The entity's own date, in full when the list gives it.
            (Birth::Own, Some(own)) => Some(match own.month_day {
                Some((m, d)) => format!("{}-{m:02}-{d:02}", own.year_from),
                None => format!("{}-{month:02}-{day:02}", own.year_from),
            }),
            (Birth::Near, Some(own)) => Some(format!(
                "{}-{month:02}-{day:02}",
                i32::from(own.year_to) + offset
            )),
            _ => Some(format!("{year}-{month:02}-{day:02}")),
        };
        let theirs: Vec<&str> = entity.countries().collect();
        let (which, at) = country;
        let country = match which {
            None => None,
            Some(true) if !theirs.is_empty() => Some(theirs[at % theirs.len()].to_owned()),
            Some(_) => Some(COUNTRIES[at % COUNTRIES.len()].to_owned()),
        };
        Query {
            name,
            date_of_birth,
            country,
            // `Some(None)`: the entity's own kind.
            kind: kind.map(|kind| kind.unwrap_or(entity.kind)),
        }
    })
}

#[derive(Clone, Copy, Debug)]
enum Birth {
    None,
    /// The entity's own date of birth.
    Own,
    /// Within two years of the entity's.
    Near,
    Other,
}

/// The threshold a query is screened at: any, or just under the best score the query reaches, where a
/// name the pruning wrongly drops is most likely to be one that belongs in the results.
#[derive(Clone, Copy, Debug)]
enum Threshold {
    Any(f64),
    BelowBest(f64),
}

fn threshold() -> impl Strategy<Value = Threshold> {
    prop_oneof![
        1 => (0.70f64..0.95).prop_map(Threshold::Any),
        1 => Just(Threshold::BelowBest(0.0)),
        1 => (0.0f64..0.03).prop_map(Threshold::BelowBest),
    ]
}

/// Runs `cases` queries, each against both searches, and then checks that at least `min_hits` of them
/// found something: a test whose queries find nothing cannot tell a pruning index from an empty one.
/// Also checks that every evidence span is a byte range of the query or of the matched name.
fn index_agrees_with_the_scan(
    cases: u32,
    min_hits: u32,
    queries: impl Strategy<Value = (Query, Threshold)>,
) {
    let hits = AtomicU32::new(0);
    // One memo across every case, as a list update's job keeps one across its customers.
    let memo = std::sync::Mutex::new(Memo::default());
    let result = TestRunner::new(seeded::config(cases)).run(&queries, |(query, threshold)| {
        let threshold = match threshold {
            Threshold::Any(threshold) => threshold,
            // Found by the index itself at a low threshold: this only chooses where to look.
            Threshold::BelowBest(under) => match INDEX.search(&query, 0.5, 1).first() {
                Some(best) => best.score - under,
                None => 0.7,
            },
        };
        let indexed = INDEX.search(&query, threshold, usize::MAX);
        let scanned = INDEX.search_exhaustive(&query, threshold, usize::MAX);
        if !scanned.is_empty() {
            hits.fetch_add(1, Ordering::Relaxed);
        }
        prop_assert_eq!(&indexed, &scanned, "{:?} at {}", query, threshold);
        let remembered =
            INDEX.search_remembering(&query, threshold, usize::MAX, &mut memo.lock().unwrap());
        prop_assert_eq!(
            &remembered,
            &indexed,
            "remembering: {:?} at {}",
            query,
            threshold
        );
        // The evidence's spans slice the query and the list name as given.
        for found in &indexed {
            for token in &found.evidence.tokens {
                let (q, l) = (token.query_span, token.list_span);
                let query_text = query.name.get(q.0 as usize..q.1 as usize);
                let list_text = found.evidence.matched_name.get(l.0 as usize..l.1 as usize);
                prop_assert!(
                    query_text.is_some_and(|t| !t.is_empty())
                        && list_text.is_some_and(|t| !t.is_empty()),
                    "{:?}: spans {:?} and {:?} of {:?}",
                    query,
                    q,
                    l,
                    found.evidence.matched_name
                );
            }
        }
        Ok(())
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
    let hits = hits.into_inner();
    assert!(
        hits >= min_hits,
        "only {hits} of {cases} queries found anything"
    );
}

#[test]
fn index_finds_exactly_what_a_full_scan_finds() {
    let queries = (name(), threshold()).prop_map(|((_, name), t)| (Query::name(name), t));
    index_agrees_with_the_scan(200, 120, queries);
}

#[test]
fn fields_never_let_the_index_miss() {
    index_agrees_with_the_scan(200, 120, (query(), threshold()));
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
    assert_eq!(best.correlation, Correlation::HighConfidence);
    assert_eq!(
        (best.evidence.query_coverage, best.evidence.name_coverage),
        (1.0, 1.0)
    );
    assert!(!best.evidence.tokens.is_empty());
}
