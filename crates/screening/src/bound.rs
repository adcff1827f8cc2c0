//! A cheap upper bound on Jaro-Winkler, so the index can skip most of the vocabulary without computing the
//! similarity, and never skip a token the similarity would have kept.

/// Which letters a token holds: a bit per ASCII letter, other characters folded into the top six bits.
pub(crate) fn letter_mask(key: &str) -> u32 {
    key.chars().fold(0, |mask, c| {
        mask | match c {
            'a'..='z' => 1 << (c as u32 - 'a' as u32),
            _ => 1 << (26 + c as u32 % 6),
        }
    })
}

/// The most characters two tokens can share, from their lengths and letter masks: a character whose letter
/// the other token lacks cannot be shared.
pub(crate) fn shared_upper(a_len: u32, a_mask: u32, b_len: u32, b_mask: u32) -> u32 {
    (a_len.saturating_sub((a_mask & !b_mask).count_ones()))
        .min(b_len.saturating_sub((b_mask & !a_mask).count_ones()))
}

/// The fewest shared characters with which two tokens of these lengths can still reach `floor` by both
/// bounds below; `None` when no number can. Both bounds grow with the shared count, so a scan can compare
/// [`shared_upper`] with this and skip the floating point.
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
            "alali", "x", "",
        ];
        for a in words {
            for b in words {
                let exact = strsim::jaro_winkler(a, b);
                let (a_len, b_len) = (a.chars().count() as u32, b.chars().count() as u32);
                let shared = shared_upper(a_len, letter_mask(a), b_len, letter_mask(b));
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
