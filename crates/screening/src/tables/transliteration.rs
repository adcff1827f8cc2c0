//! Latin spellings for the letters of scripts that have no hand-written rules here (Han, Hangul, kana,
//! the Indic scripts, Thai, Hebrew, Georgian, Armenian, Ethiopic and more), as ranges of code points with
//! one spelling each.

use serde::{Deserialize, Serialize};

/// One run of consecutive code points and their spellings, joined with no separator: `lengths[k]` is the
/// length of the spelling of `start + k`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub start: u32,
    pub text: String,
    pub lengths: Vec<u8>,
    /// Where each spelling ends in `text`, worked out from `lengths` once ([`Transliteration::prepared`]).
    #[serde(skip)]
    ends: Vec<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Transliteration {
    /// Sorted by `start`, not overlapping.
    pub blocks: Vec<Block>,
}

impl Block {
    /// A block from the spelling of each code point from `start` on.
    pub fn of(start: u32, spellings: impl IntoIterator<Item = String>) -> Self {
        let mut text = String::new();
        let mut lengths = Vec::new();
        for spelling in spellings {
            // No letter is spelt in more than 255 bytes; a longer spelling is dropped rather than cut.
            let length = u8::try_from(spelling.len()).unwrap_or(0);
            if length > 0 {
                text.push_str(&spelling);
            }
            lengths.push(length);
        }
        Self {
            start,
            text,
            lengths,
            ends: Vec::new(),
        }
    }
}

impl Transliteration {
    /// The table ready for lookups: decoding leaves the spellings' ends to be worked out.
    pub fn prepared(mut self) -> Self {
        for block in &mut self.blocks {
            let mut end = 0u32;
            block.ends = block
                .lengths
                .iter()
                .map(|&l| {
                    end += u32::from(l);
                    end
                })
                .collect();
        }
        self
    }

    /// The Latin spelling of `c`, when a block covers it and it has one.
    pub fn of(&self, c: char) -> Option<&str> {
        let code = u32::from(c);
        let at = self
            .blocks
            .partition_point(|b| b.start <= code)
            .checked_sub(1)?;
        let block = &self.blocks[at];
        let k = usize::try_from(code.checked_sub(block.start)?).ok()?;
        let end = *block.ends.get(k)? as usize;
        let start = end - usize::from(block.lengths[k]);
        block.text.get(start..end).filter(|s| !s.is_empty())
    }
}
