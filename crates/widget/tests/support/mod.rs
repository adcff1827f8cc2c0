//! What the native and the browser pre-screen tests share: the real lists, and the sample of names with
//! what native screening finds for each, kept in `fixtures/prescreen.json`.

use clearance_screening::{DEFAULT_THRESHOLD, Index, Query};
use serde::{Deserialize, Serialize};

#[path = "../../../screening/tests/support/real_lists.rs"]
pub mod real_lists;

/// How many matches per name the comparison covers.
pub const LIMIT: usize = 5;

/// A name and what screening it finds: each match's entity (list id) and score.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    pub name: String,
    pub matches: Vec<(String, f64)>,
}

pub fn screen(index: &Index, name: &str) -> Expected {
    Expected {
        name: name.to_owned(),
        matches: index
            .search(&Query::name(name), DEFAULT_THRESHOLD, LIMIT)
            .into_iter()
            .map(|m| {
                (
                    index.entities()[m.entity as usize].source_id.clone(),
                    m.score,
                )
            })
            .collect(),
    }
}

/// Where `found` differs from `expected`: another entity, order or score. Scores are compared to 1e-12,
/// as far as the fixture's decimal text keeps them.
pub fn differences(expected: &[Expected], found: &[Expected]) -> Vec<String> {
    let mut differences: Vec<String> = expected
        .iter()
        .zip(found)
        .filter(|(e, f)| {
            e.name != f.name
                || e.matches.len() != f.matches.len()
                || e.matches
                    .iter()
                    .zip(&f.matches)
                    .any(|((a, x), (b, y))| a != b || (x - y).abs() > 1e-12)
        })
        .map(|(e, f)| {
            format!(
                "{}: expected {:?}, found {:?}",
                e.name, e.matches, f.matches
            )
        })
        .collect();
    if expected.len() != found.len() {
        differences.push(format!(
            "{} names expected, {} found",
            expected.len(),
            found.len()
        ));
    }
    differences
}

pub const FIXTURE: &str = include_str!("../fixtures/prescreen.json");

pub fn fixture() -> Vec<Expected> {
    serde_json::from_str(FIXTURE).expect("the fixture parses")
}
