//! Latin spellings for the letters of scripts that have no hand-written rules here (Han, Hangul, kana,
//! the Indic scripts, Thai, Hebrew, Georgian, Armenian, Ethiopic and more), as ranges of code points with
//! one spelling each.

use serde::{Deserialize, Serialize};

/// One run of consecutive code points and their spellings, joined with no separator: `ends[k]` is where
/// the spelling of `start + k` ends in `text`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub start: u32,
    pub text: String,
    pub ends: Vec<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Transliteration {
    /// Sorted by `start`, not overlapping.
    pub blocks: Vec<Block>,
}

impl Transliteration {
    /// The Latin spelling of `c`, when a block covers it and it has one.
    pub fn of(&self, c: char) -> Option<&str> {
        let code = u32::from(c);
        let at = self
            .blocks
            .partition_point(|b| b.start <= code)
            .checked_sub(1)?;
        let block = &self.blocks[at];
        let k = usize::try_from(code - block.start).ok()?;
        let end = *block.ends.get(k)? as usize;
        let start = if k == 0 {
            0
        } else {
            block.ends[k - 1] as usize
        };
        block.text.get(start..end).filter(|s| !s.is_empty())
    }
}
