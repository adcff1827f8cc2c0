//! Allocation-free Jaro-Winkler and optimal-string-alignment distance for the ASCII tokens that make up
//! almost every list name. They compute exactly what `strsim` computes (a property test holds them to
//! it); `strsim` itself serves every other token.

/// Tokens longer than this go to `strsim`.
const MAX: usize = 64;

pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    match (ascii(a), ascii(b)) {
        (Some(a), Some(b)) => {
            let sim = jaro(a, b);
            if sim > 0.7 {
                let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
                sim + 0.1 * prefix as f64 * (1.0 - sim)
            } else {
                sim
            }
        }
        _ => strsim::jaro_winkler(a, b),
    }
}

pub(crate) fn osa_distance(a: &str, b: &str) -> usize {
    match (ascii(a), ascii(b)) {
        (Some(a), Some(b)) => osa(a, b),
        _ => strsim::osa_distance(a, b),
    }
}

fn ascii(s: &str) -> Option<&[u8]> {
    (s.is_ascii() && s.len() <= MAX).then_some(s.as_bytes())
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_flags = [false; MAX];
    let mut b_flags = [false; MAX];
    let mut matches = 0usize;
    for (i, &x) in a.iter().enumerate() {
        let low = i.saturating_sub(range);
        let high = (i + range + 1).min(b.len());
        for j in low..high {
            if !b_flags[j] && b[j] == x {
                a_flags[i] = true;
                b_flags[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, &x) in a.iter().enumerate() {
        if a_flags[i] {
            while !b_flags[j] {
                j += 1;
            }
            if x != b[j] {
                transpositions += 1;
            }
            j += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// Levenshtein with adjacent transpositions, each substring edited at most once.
fn osa(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    if b.is_empty() {
        return a.len();
    }
    let width = b.len() + 1;
    let mut two_back = [0usize; MAX + 1];
    let mut one_back: [usize; MAX + 1] = std::array::from_fn(|j| j);
    let mut current = [0usize; MAX + 1];
    for i in 0..a.len() {
        current[0] = i + 1;
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut best = (one_back[j + 1] + 1)
                .min(current[j] + 1)
                .min(one_back[j] + cost);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(two_back[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        two_back[..width].copy_from_slice(&one_back[..width]);
        one_back[..width].copy_from_slice(&current[..width]);
    }
    one_back[b.len()]
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn equals_strsim(a in "[a-e]{0,12}", b in "[a-e]{0,12}") {
            prop_assert_eq!(super::jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
            prop_assert_eq!(super::osa_distance(&a, &b), strsim::osa_distance(&a, &b));
        }

        #[test]
        fn equals_strsim_on_longer_words(a in "[a-z]{0,70}", b in "[a-z]{0,70}") {
            prop_assert_eq!(super::jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
            prop_assert_eq!(super::osa_distance(&a, &b), strsim::osa_distance(&a, &b));
        }
    }
}
