//! A cheap upper bound on Jaro-Winkler, so the index can skip most of the vocabulary without computing the
//! similarity, and never skip a token the similarity would have kept.

/// Which letters a token holds and how often: enough for an upper bound on the characters two tokens
/// share, read with a few bit operations instead of a comparison. A bit per ASCII letter; other characters
/// are folded into the top six bits, which can only raise the bound.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Letters {
    /// Letters that occur at least once.
    once: u32,
    /// Letters that occur at least twice.
    twice: u32,
    /// Occurrences beyond the second, over all letters.
    more: u32,
}

impl Letters {
    pub(crate) fn of(key: &str) -> Self {
        let mut counts = [0u32; 32];
        for c in key.chars() {
            let bucket = match c {
                'a'..='z' => c as u32 - 'a' as u32,
                _ => 26 + c as u32 % 6,
            };
            counts[bucket as usize] += 1;
        }
        let mut letters = Self::default();
        for (bucket, &count) in counts.iter().enumerate() {
            if count >= 1 {
                letters.once |= 1 << bucket;
            }
            if count >= 2 {
                letters.twice |= 1 << bucket;
            }
            letters.more += count.saturating_sub(2);
        }
        letters
    }

    /// The letter buckets the token holds, each once.
    pub(crate) fn buckets(&self) -> impl Iterator<Item = usize> {
        let once = self.once;
        (0..32).filter(move |b| once & (1 << b) != 0)
    }

    /// How many distinct letter buckets the token holds.
    pub(crate) fn distinct(&self) -> u32 {
        self.once.count_ones()
    }

    /// Characters beyond each letter's first: what [`Letters::shared_upper`] can add to the distinct
    /// letters two tokens share.
    pub(crate) fn repeats(&self) -> u32 {
        self.twice.count_ones() + self.more
    }

    /// At least the characters the two tokens can share (the sum over letters of the fewer of the two
    /// counts), never more than either token's length. Occurrences beyond a letter's second are pooled
    /// over all letters, so `aaaa` and `bbbb` get 2 rather than 0: a looser bound, never a lower one.
    pub(crate) fn shared_upper(&self, other: &Self) -> u32 {
        (self.once & other.once).count_ones()
            + (self.twice & other.twice).count_ones()
            + self.more.min(other.more)
    }
}

/// The fewest shared characters with which two tokens of these lengths can still reach `floor` by both
/// bounds below; `None` when no number can. Both bounds grow with the shared count, so a scan can compare
/// [`Letters::shared_upper`] with this and skip the floating point.
pub(crate) fn shared_needed(a_len: u32, b_len: u32, prefix: u32, floor: f64) -> Option<u32> {
    (0..=a_len.min(b_len)).find(|&m| fuzzy_upper(a_len, b_len, m, prefix) >= floor)
}

/// An upper bound on the fuzzy similarity (Jaro-Winkler capped by the edit similarity) of two tokens of
/// these lengths (in chars) that share at most `shared` characters and at most `prefix` leading ones.
pub(crate) fn fuzzy_upper(a_len: u32, b_len: u32, shared: u32, prefix: u32) -> f64 {
    jaro_winkler_upper(a_len, b_len, shared, prefix)
        .min(edit_similarity_upper(a_len, b_len, shared))
}

/// An upper bound on `strsim::jaro_winkler(a, b)` with the common prefix capped at 4, as strsim caps it:
/// Jaro needs `m` matching characters, and `m` cannot exceed the characters the two share.
fn jaro_winkler_upper(a_len: u32, b_len: u32, m: u32, prefix: u32) -> f64 {
    if a_len == 0 || b_len == 0 {
        return if a_len == b_len { 1.0 } else { 0.0 };
    }
    if m == 0 {
        return 0.0;
    }
    let m = f64::from(m);
    let jaro = (m / f64::from(a_len) + m / f64::from(b_len) + 1.0) / 3.0;
    let bonus = if jaro > 0.7 {
        0.1 * f64::from(prefix.min(4)) * (1.0 - jaro)
    } else {
        0.0
    };
    // A hair of slack so rounding can never make the bound fall below the exact value.
    jaro + bonus + 1e-9
}

/// An upper bound on the edit similarity `1 - edits / (longest + 2)`: every edit changes the multiset of
/// characters by at most one, so at least `longest - shared` edits are needed.
fn edit_similarity_upper(a_len: u32, b_len: u32, shared: u32) -> f64 {
    let longest = a_len.max(b_len);
    1.0 - f64::from(longest - shared.min(longest)) / f64::from(longest + 2) + 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix(a: &str, b: &str) -> u32 {
        a.chars()
            .zip(b.chars())
            .take(4)
            .take_while(|(x, y)| x == y)
            .count() as u32
    }

    #[test]
    fn bound_is_never_below_the_similarity() {
        let words = [
            "cano", "kano", "correa", "corea", "jhon", "john", "eidelber", "iedelber", "najmudin",
            "njmdn", "ahmad", "amhad", "a", "ab", "ba", "zzzz", "mohammed", "muhammad", "ali",
            "alali", "x", "", "aaab", "baaa", "mamma", "amma", "ümit", "umit", "иван", "ivan",
        ];
        for a in words {
            for b in words {
                let exact = strsim::jaro_winkler(a, b);
                let (a_len, b_len) = (a.chars().count() as u32, b.chars().count() as u32);
                let shared_exactly = {
                    let mut rest: Vec<char> = b.chars().collect();
                    a.chars()
                        .filter(|c| {
                            rest.iter()
                                .position(|r| r == c)
                                .map(|i| rest.swap_remove(i))
                                .is_some()
                        })
                        .count() as u32
                };
                let shared = Letters::of(a).shared_upper(&Letters::of(b));
                assert!(
                    shared >= shared_exactly,
                    "{a} {b}: {shared} < {shared_exactly}"
                );
                let bound = jaro_winkler_upper(a_len, b_len, shared, prefix(a, b));
                assert!(bound >= exact, "{a} {b}: {bound} < {exact}");
                let longest = a.chars().count().max(b.chars().count());
                let by_edits = 1.0 - strsim::osa_distance(a, b) as f64 / (longest + 2) as f64;
                let edit_bound = edit_similarity_upper(a_len, b_len, shared);
                assert!(edit_bound >= by_edits, "{a} {b}: {edit_bound} < {by_edits}");
            }
        }
    }
}
