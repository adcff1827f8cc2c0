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

/// An upper bound on `strsim::jaro_winkler(a, b)` from lengths (in chars), letter masks and the common
/// prefix (capped at 4, as strsim does). Jaro needs `m` matching characters, and `m` cannot exceed the
/// characters of one string whose letters the other lacks at least once each.
pub(crate) fn jaro_winkler_upper(
    a_len: u32,
    a_mask: u32,
    b_len: u32,
    b_mask: u32,
    prefix: u32,
) -> f64 {
    if a_len == 0 || b_len == 0 {
        return if a_len == b_len { 1.0 } else { 0.0 };
    }
    let m = (a_len.saturating_sub((a_mask & !b_mask).count_ones()))
        .min(b_len.saturating_sub((b_mask & !a_mask).count_ones()));
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
                let bound = jaro_winkler_upper(
                    a.chars().count() as u32,
                    letter_mask(a),
                    b.chars().count() as u32,
                    letter_mask(b),
                    prefix(a, b),
                );
                assert!(bound >= exact, "{a} {b}: {bound} < {exact}");
            }
        }
    }
}
