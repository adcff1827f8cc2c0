//! The vocabulary laid out for the fuzzy candidate scan: every token's letter counts and first letter in
//! columns grouped by token length, and for each length the tokens that hold each letter, so a query token
//! is compared only with the tokens that can share enough letters with it.

use crate::bound::{Letters, shared_needed};
use crate::score::Features;

/// No first letter: never equal to a token's.
const NO_FIRST: u32 = u32::MAX;
/// A shared count no token reaches.
const UNREACHABLE: u32 = u32::MAX;
/// Letter buckets of [`Letters`].
const BUCKETS: usize = 32;

#[derive(Clone, Debug, Default)]
pub(crate) struct Scan {
    ids: Vec<u32>,
    letters: Vec<Letters>,
    firsts: Vec<u32>,
    /// `from[l]` is where tokens of `l` characters start in the columns; one more entry than lengths.
    from: Vec<usize>,
    /// `holding[l * BUCKETS + b]`: the column positions of the tokens of `l` characters that hold letter
    /// bucket `b`, ascending.
    holding: Vec<Vec<u32>>,
}

fn first(f: &Features) -> u32 {
    f.first.map_or(NO_FIRST, u32::from)
}

impl Scan {
    /// Lays out `features`, each known by its position.
    pub(crate) fn of(features: &[Features]) -> Self {
        let mut order: Vec<u32> = (0..features.len() as u32).collect();
        order.sort_by_key(|&id| (features[id as usize].len, id));
        let longest = order
            .last()
            .map_or(0, |&id| features[id as usize].len as usize);
        let mut holding = vec![Vec::new(); (longest + 1) * BUCKETS];
        for (position, &id) in order.iter().enumerate() {
            let f = &features[id as usize];
            for bucket in f.letters.buckets() {
                holding[f.len as usize * BUCKETS + bucket].push(position as u32);
            }
        }
        Self {
            from: (0..=longest + 1)
                .map(|l| order.partition_point(|&id| (features[id as usize].len as usize) < l))
                .collect(),
            letters: order
                .iter()
                .map(|&id| features[id as usize].letters)
                .collect(),
            firsts: order
                .iter()
                .map(|&id| first(&features[id as usize]))
                .collect(),
            ids: order,
            holding,
        }
    }

    /// Appends to `out` every token whose letters allow a fuzzy similarity of at least `floor` with `q`,
    /// some of them more than once. For each length: the fewest shared letters that can still reach the
    /// floor (with and without a common first letter), and the tokens of that length whose counts allow
    /// that many.
    ///
    /// A token that shares `need` characters with `q` shares at least `k = need - q.repeats()` of its
    /// distinct letters, so it holds at least one of any `distinct - k + 1` of them: only the tokens
    /// holding one of the rarest such letters are compared, unless they are half of that length or more.
    pub(crate) fn reachable(&self, q: &Features, floor: f64, out: &mut Vec<u32>) {
        let q_first = first(q);
        let distinct = q.letters.distinct();
        let mut lists: Vec<&[u32]> = Vec::with_capacity(BUCKETS);
        for len in 0..self.from.len().saturating_sub(1) {
            let [other, same] = [0, 4].map(|prefix| {
                shared_needed(q.len, len as u32, prefix, floor).unwrap_or(UNREACHABLE)
            });
            if same == UNREACHABLE {
                continue;
            }
            let compare = |position: usize, out: &mut Vec<u32>| {
                let need = if self.firsts[position] == q_first {
                    same
                } else {
                    other
                };
                if q.letters.shared_upper(&self.letters[position]) >= need {
                    out.push(self.ids[position]);
                }
            };
            let range = self.from[len]..self.from[len + 1];
            // `same` is at most `q.len`, which is `distinct + repeats`, so `k <= distinct`.
            let k = same.saturating_sub(q.letters.repeats());
            if k > 0 {
                lists.clear();
                lists.extend(
                    q.letters
                        .buckets()
                        .map(|b| self.holding[len * BUCKETS + b].as_slice()),
                );
                lists.sort_unstable_by_key(|list| list.len());
                lists.truncate((distinct + 1).saturating_sub(k) as usize);
                if lists.iter().map(|list| list.len()).sum::<usize>() < range.len() / 2 {
                    for &position in lists.iter().copied().flatten() {
                        compare(position as usize, out);
                    }
                    continue;
                }
            }
            for position in range {
                compare(position, out);
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::normalize::TokenKind;
    use crate::score::{PAIR_FLOOR, fuzzy};

    fn word(key: &str) -> Features {
        Features::from_key(key, TokenKind::Word, 1.0)
    }

    /// The scan may return tokens the similarity then drops, but never skips one it would keep.
    fn finds_every_kept_token(vocabulary: &[String], query: &str) -> Result<(), TestCaseError> {
        let tokens: Vec<Features> = vocabulary.iter().map(|k| word(k)).collect();
        let mut found = Vec::new();
        Scan::of(&tokens).reachable(&word(query), PAIR_FLOOR, &mut found);
        for (id, key) in vocabulary.iter().enumerate() {
            if fuzzy(query, key) >= PAIR_FLOOR {
                prop_assert!(found.contains(&(id as u32)), "{query} and {key}");
            }
        }
        Ok(())
    }

    /// `query` with one character replaced, one removed and two swapped at `at`, as a typist would.
    fn typos(query: &str, at: usize, c: char) -> Vec<String> {
        let chars: Vec<char> = query.chars().collect();
        let at = at % chars.len();
        let mut replaced = chars.clone();
        replaced[at] = c;
        let mut removed = chars.clone();
        removed.remove(at);
        let mut swapped = chars.clone();
        swapped.swap(at, (at + 1) % chars.len());
        [replaced, removed, swapped]
            .into_iter()
            .map(|v| v.into_iter().collect::<String>())
            .filter(|s| !s.is_empty())
            .collect()
    }

    proptest! {
        /// Many tokens over the whole alphabet, so the letter lists are short and the scan compares only
        /// the tokens on them, and typos of the query among them, so some tokens are near.
        #[test]
        fn the_scan_finds_typos_among_many_tokens(
            query in "[a-z]{2,12}",
            others in prop::collection::vec("[a-z]{1,12}", 200..600),
            typed in prop::collection::vec((0usize..12, proptest::char::range('a', 'z')), 1..8),
        ) {
            let mut vocabulary = others;
            for (at, c) in typed {
                vocabulary.extend(typos(&query, at, c));
            }
            finds_every_kept_token(&vocabulary, &query)?;
        }

        /// Letters drawn from a few, with repeats and a non-ASCII one, so many tokens are close.
        #[test]
        fn the_scan_finds_every_token_the_similarity_keeps(
            vocabulary in prop::collection::vec("[aeinrsuü]{1,12}", 1..300),
            query in "[aeinrsuü]{1,12}",
        ) {
            finds_every_kept_token(&vocabulary, &query)?;
        }
    }
}
