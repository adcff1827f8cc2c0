//! The data matching reads beside its rules: how letters of scripts without hand-written rules are written
//! in Latin (from the `any_ascii` library), how common each name word is, and which given names are one
//! name across languages.
//!
//! Native builds compile the tables in (feature `builtin-tables`). The browser builds leave them out to
//! stay within their size budgets: the server packs the same tables into every index file it serves, and
//! decoding an index installs them ([`install`]), so a name is screened alike on both sides.

#[cfg(feature = "builtin-tables")]
mod builtin;
mod transliteration;

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use transliteration::Transliteration;

/// Every table, as one value that travels in the index file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tables {
    pub transliteration: Transliteration,
    /// How much a word weighs as evidence, for the words common enough to weigh less than 1, by
    /// comparison key, sorted by key. Sorted pairs rather than a map: they decode with less code, which
    /// the browser builds pay for.
    pub weights: Vec<(String, f32)>,
    /// Each given name's group of equivalents across languages, by comparison key, sorted by key.
    pub equivalents: Vec<(String, u32)>,
}

impl Tables {
    /// A word's weight by its comparison key: 1 unless it is common.
    pub fn weight(&self, key: &str) -> f64 {
        find(&self.weights, key).map_or(1.0, f64::from)
    }

    /// The group of equivalent given names a word belongs to, if any.
    pub fn equivalence(&self, key: &str) -> Option<u32> {
        find(&self.equivalents, key)
    }
}

fn find<T: Copy>(sorted: &[(String, T)], key: &str) -> Option<T> {
    sorted
        .binary_search_by(|(k, _)| k.as_str().cmp(key))
        .ok()
        .map(|at| sorted[at].1)
}

static INSTALLED: OnceLock<Tables> = OnceLock::new();

/// The tables in force: the built-in ones in native builds; in the browser, those the first decoded index
/// carried (none before an index is decoded, when nothing is screened).
pub fn tables() -> &'static Tables {
    #[cfg(feature = "builtin-tables")]
    {
        builtin::tables()
    }
    #[cfg(not(feature = "builtin-tables"))]
    {
        static NONE: OnceLock<Tables> = OnceLock::new();
        INSTALLED
            .get()
            .unwrap_or_else(|| NONE.get_or_init(Tables::default))
    }
}

/// Installs tables read from an index file. The tables are fixed for a build, so the first installed
/// stay; a build with the tables compiled in keeps its own.
pub fn install(tables: Tables) {
    let _already = INSTALLED.set(Tables {
        transliteration: tables.transliteration.prepared(),
        ..tables
    });
}
