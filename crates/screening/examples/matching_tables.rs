//! Builds the word weights and the given-name equivalents of `src/tables/` from list snapshots and a
//! population of names (`scripts/matching-tables/population.py`):
//!
//! ```sh
//! cargo run --release -p clearance-screening --example matching_tables -- \
//!     --population /tmp/population.txt --families scripts/matching-tables/given-names.txt \
//!     --out crates/screening/src/tables \
//!     ../shared/data/lists/ofac-sdn-2024-05-03 ../shared/data/lists/ofac-alt-add-2026-06-02 \
//!     ../shared/data/lists/ofac-consolidated-2025-12-19 ../shared/data/lists/un-consolidated-2026-02-27
//! ```
//!
//! **Weights.** A word's share `p` is the larger of the share of list names and the share of population
//! names that hold it. A word in one name of ten thousand or fewer weighs 1; a commoner word weighs
//! `ln p / ln 10⁻⁴`, at least 0.3 (and 1 from 0.9): `mohammad`, in about one name in a hundred, weighs
//! half a rare word.
//!
//! **Equivalents.** The families of `--families` (one name's forms across languages, one family a line)
//! are groups. Then two names of one listed person that differ in one word only, where the two words are
//! not already alike by spelling or sound (`YUSUF` and `JOSEPH`), pair those words. Pairs seen for at
//! least three different people, and not both common words, join a family or each other, in groups of at
//! most twelve; two families never join, as each is one name.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clearance_screening::normalize::{Token, TokenKind, normalize};
use clearance_screening::score::{Features, token_similarity};
use clearance_screening::{EntityKind, ListFile, Snapshot};

/// A word in at most this share of names weighs 1.
const RARE: f64 = 1e-4;
const LIGHTEST: f64 = 0.3;
/// Words weighing this or more count as rare ones: the table stays small enough to travel in every index
/// file, and a weight this close to 1 changes no decision.
const HEAVY: f64 = 0.9;
/// People whose aliases must pair two words before they are equivalents.
const WITNESSES: usize = 3;
const LARGEST_GROUP: usize = 12;
const COMMON: f64 = 0.65;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut population, mut families, mut out, mut dirs) = (None, None, None, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--population" => population = args.next().map(PathBuf::from),
            "--families" => families = args.next().map(PathBuf::from),
            "--out" => out = args.next().map(PathBuf::from),
            _ => dirs.push(PathBuf::from(arg)),
        }
    }
    let (population, families, out) = (
        population.expect("--population FILE"),
        families.expect("--families FILE"),
        out.expect("--out DIR"),
    );
    let snapshot = load(&dirs);
    let list_names: Vec<Vec<Token>> = snapshot
        .entities
        .iter()
        .flat_map(|e| e.names())
        .map(normalize)
        .collect();
    let people = std::fs::read_to_string(&population).expect("reading the population");
    let population_names: Vec<Vec<Token>> = people.lines().map(normalize).collect();

    let shares = |names: &[Vec<Token>]| -> HashMap<String, f64> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for name in names {
            let keys: HashSet<&str> = name
                .iter()
                .filter(|t| t.kind.is_searched())
                .map(|t| t.key.as_str())
                .collect();
            for key in keys {
                *counts.entry(key.to_owned()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(k, n)| (k, n as f64 / names.len() as f64))
            .collect()
    };
    let (in_lists, in_population) = (shares(&list_names), shares(&population_names));
    let mut weights: BTreeMap<&str, f64> = BTreeMap::new();
    for (key, share) in in_lists.iter().chain(&in_population) {
        let p = share.max(*in_lists.get(key).unwrap_or(&0.0));
        let p = p.max(*in_population.get(key).unwrap_or(&0.0));
        if p > RARE {
            let weight = (p.ln() / RARE.ln()).clamp(LIGHTEST, 1.0);
            let weight = (weight * 100.0).round() / 100.0;
            if weight < HEAVY {
                weights.insert(key, weight);
            }
        }
    }
    let mut text = String::from(
        "# Word weights by comparison key, built by crates/screening/examples/matching_tables.rs\n",
    );
    for (key, weight) in &weights {
        writeln!(text, "{key}\t{weight}").expect("writing to a string");
    }
    std::fs::write(out.join("weights.tsv"), text).expect("writing weights.tsv");
    println!("{} weights", weights.len());

    let families = read_families(&families);
    let groups = equivalents(&snapshot, &weights, families);
    let mut text = String::from(
        "# Given-name equivalents by comparison key, built by crates/screening/examples/matching_tables.rs\n",
    );
    let mut rows: Vec<(&String, &u32)> = groups.iter().collect();
    rows.sort();
    for (key, group) in rows {
        writeln!(text, "{key}\t{group}").expect("writing to a string");
    }
    std::fs::write(out.join("equivalents.tsv"), text).expect("writing equivalents.tsv");
    println!(
        "{} words in {} groups",
        groups.len(),
        groups.values().collect::<HashSet<_>>().len()
    );
}

/// Reads every file of every directory as one snapshot.
fn load(dirs: &[PathBuf]) -> Snapshot {
    let mut contents: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in dirs {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("reading a list directory")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        paths.sort();
        for path in paths {
            contents.push((
                display(&path),
                std::fs::read(&path).expect("reading a list"),
            ));
        }
    }
    let files: Vec<ListFile<'_>> = contents
        .iter()
        .map(|(name, bytes)| ListFile { name, bytes })
        .collect();
    Snapshot::load(&files, None).expect("the lists parse")
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The families file as the comparison keys of each line's words.
fn read_families(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("reading the families");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut keys: Vec<String> = line
                .split_whitespace()
                .map(|word| match normalize(word).as_slice() {
                    [token] if token.kind == TokenKind::Word => token.key.clone(),
                    _ => panic!("{}: {word} is not one plain word", display(path)),
                })
                .collect();
            keys.sort();
            keys.dedup();
            keys
        })
        .collect()
}

/// The families, then word pairs from the aliases of listed people, joined into groups: each key and its
/// group number. Two common words (both weighing under [`COMMON`]) that replace each other are different
/// names an alias swapped (`ali`, `muhamad`), not one name.
fn equivalents(
    snapshot: &Snapshot,
    weights: &BTreeMap<&str, f64>,
    families: Vec<Vec<String>>,
) -> HashMap<String, u32> {
    let mut witnesses: HashMap<(String, String), HashSet<usize>> = HashMap::new();
    for (e, entity) in snapshot.entities.iter().enumerate() {
        if entity.kind != EntityKind::Individual {
            continue;
        }
        let names: Vec<Vec<Token>> = entity.names().map(normalize).collect();
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                if let Some(pair) = one_word_apart(a, b) {
                    witnesses.entry(pair).or_default().insert(e);
                }
            }
        }
    }
    let common = |key: &str| weights.get(key).is_some_and(|w| *w < COMMON);
    let mut pairs: Vec<(String, String)> = witnesses
        .into_iter()
        .filter(|((a, b), people)| people.len() >= WITNESSES && !(common(a) && common(b)))
        .map(|(pair, _)| pair)
        .collect();
    pairs.sort();
    // Union-find over the pairs, refusing a join that would add more than LARGEST_GROUP mined words to a
    // group, or join two families.
    let mut group: HashMap<String, usize> = HashMap::new();
    let fixed = families.len();
    for (g, family) in families.iter().enumerate() {
        for key in family {
            if let Some(other) = group.insert(key.clone(), g) {
                panic!("{key} is in two families ({other} and {g})");
            }
        }
    }
    let mut mined = vec![0; fixed];
    let mut members: Vec<Vec<String>> = families;
    for (a, b) in pairs {
        match (group.get(&a).copied(), group.get(&b).copied()) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                let (x, y) = (x.min(y), x.max(y));
                if y >= fixed && mined[x] + mined[y] <= LARGEST_GROUP {
                    let moved = std::mem::take(&mut members[y]);
                    for key in &moved {
                        group.insert(key.clone(), x);
                    }
                    members[x].extend(moved);
                    mined[x] += std::mem::take(&mut mined[y]);
                }
            }
            (Some(x), None) | (None, Some(x)) => {
                if mined[x] < LARGEST_GROUP {
                    let key = if group.contains_key(&a) { b } else { a };
                    group.insert(key.clone(), x);
                    members[x].push(key);
                    mined[x] += 1;
                }
            }
            (None, None) => {
                group.insert(a.clone(), members.len());
                group.insert(b.clone(), members.len());
                members.push(vec![a, b]);
                mined.push(2);
            }
        }
    }
    let mut numbers: HashMap<usize, u32> = HashMap::new();
    let mut sorted: Vec<(String, usize)> = group.into_iter().collect();
    sorted.sort();
    sorted
        .into_iter()
        .map(|(key, g)| {
            let next = numbers.len() as u32;
            let n = *numbers.entry(g).or_insert(next);
            (key, n)
        })
        .collect()
}

/// The two differing words, ordered, when two names of a person differ in exactly one word each and the
/// two words are not already alike.
fn one_word_apart(a: &[Token], b: &[Token]) -> Option<(String, String)> {
    let words = |name: &[Token]| -> Vec<String> {
        name.iter()
            .filter(|t| t.kind == TokenKind::Word)
            .map(|t| t.key.clone())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let only_a: Vec<&String> = a.iter().filter(|k| !b.contains(k)).collect();
    let only_b: Vec<&String> = b.iter().filter(|k| !a.contains(k)).collect();
    let ([x], [y]) = (only_a.as_slice(), only_b.as_slice()) else {
        return None;
    };
    if x.len() < 3 || y.len() < 3 {
        return None;
    }
    // Alike without the equivalents this program wrote last time, which would otherwise hide them.
    let feature = |key: &str| {
        let mut features = Features::of(&Token {
            text: key.to_owned(),
            key: key.to_owned(),
            kind: TokenKind::Word,
            span: (0, 0),
        });
        features.equivalence = None;
        features
    };
    if token_similarity(&feature(x), &feature(y)).is_some() {
        return None;
    }
    Some(if x < y {
        ((*x).clone(), (*y).clone())
    } else {
        ((*y).clone(), (*x).clone())
    })
}
