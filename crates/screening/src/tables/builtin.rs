//! The tables compiled into native builds: transliteration from `any_ascii`, word weights and name
//! equivalents from the files beside this module (`weights.tsv`, `equivalents.tsv`; see the README for how
//! they are built).

use std::sync::LazyLock;

use super::Tables;
use super::transliteration::{Block, Transliteration};

/// The code point ranges transliterated by the library: the scripts names are written in, less Latin,
/// Cyrillic and Greek (hand-written rules in `normalize`), and the Arabic block's letters the hand rules
/// do not cover. Han is the unified block alone: its extensions hold rare characters that would double the
/// table every index file carries.
const RANGES: [(u32, u32); 18] = [
    (0x0530, 0x058F), // Armenian
    (0x0590, 0x05FF), // Hebrew
    (0x0600, 0x06FF), // Arabic
    (0x0700, 0x074F), // Syriac
    (0x0780, 0x07BF), // Thaana
    (0x0900, 0x0DFF), // Devanagari to Sinhala
    (0x0E00, 0x0EFF), // Thai, Lao
    (0x0F00, 0x0FFF), // Tibetan
    (0x1000, 0x109F), // Myanmar
    (0x10A0, 0x10FF), // Georgian
    (0x1100, 0x11FF), // Hangul jamo
    (0x1200, 0x139F), // Ethiopic
    (0x1780, 0x17FF), // Khmer
    (0x1800, 0x18AF), // Mongolian
    (0x3040, 0x30FF), // Hiragana, katakana
    (0x3130, 0x318F), // Hangul compatibility jamo
    (0x4E00, 0x9FFF), // Han
    (0xAC00, 0xD7A3), // Hangul syllables
];

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables {
    transliteration: transliteration(),
    weights: parse(include_str!("weights.tsv"), |w| w.parse().ok()),
    equivalents: parse(include_str!("equivalents.tsv"), |g| g.parse().ok()),
});

pub(super) fn tables() -> &'static Tables {
    &TABLES
}

fn transliteration() -> Transliteration {
    let blocks = RANGES
        .iter()
        .map(|&(start, end)| {
            Block::of(
                start,
                (start..=end).map(|code| {
                    char::from_u32(code)
                        .map(|c| any_ascii::any_ascii_char(c).to_ascii_lowercase())
                        .unwrap_or_default()
                }),
            )
        })
        .collect();
    Transliteration { blocks }.prepared()
}

/// `key<TAB>value` lines, sorted by key; `#` starts a comment line.
fn parse<T>(text: &str, value: impl Fn(&str) -> Option<T>) -> Vec<(String, T)> {
    let mut rows: Vec<(String, T)> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (key, v) = line.split_once('\t')?;
            Some((key.to_owned(), value(v.trim())?))
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}
