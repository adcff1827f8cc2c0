//! How alike two names are, and why. A name is scored token by token: each query token is paired with at
//! most one list token (or two tokens glued), the pairs are chosen best first, and the score weighs how
//! much of the query and how much of the list name the pairs explain. The pairs themselves are the
//! evidence an analyst sees.

use serde::{Deserialize, Serialize};

use crate::normalize::{Token, TokenKind};
use crate::phonetic;

/// Below this a token pair is noise (random name tokens score 0.5 to 0.7 by Jaro-Winkler) and counts as
/// unmatched.
pub const PAIR_FLOOR: f64 = 0.78;

/// How a query token came to be paired with a list token; shown to the analyst beside the pair score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairKind {
    Exact,
    /// Jaro-Winkler on the comparison keys: typos, transpositions, transliteration variants.
    Fuzzy,
    /// Same sound key.
    Phonetic,
    /// Same consonants, vowels dropped.
    Skeleton,
    /// An initial standing for a word.
    Initial,
    /// A truncated word.
    Prefix,
    /// Two adjacent tokens on one side written as one on the other (`AL ALI` / `ALALI`).
    Glued,
}

/// What the scorer needs of a token, computed once per token (the index keeps these for every list
/// token).
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    pub key: String,
    pub phonetic: String,
    pub skeleton: String,
    pub vowel_poor: bool,
    pub kind: TokenKind,
    pub weight: f64,
}

impl Features {
    pub fn of(token: &Token) -> Self {
        let weight = match token.kind {
            TokenKind::Word => 1.0,
            TokenKind::Initial => 0.5,
            TokenKind::LegalForm => 0.2,
        };
        Self::from_key(&token.key, token.kind, weight)
    }

    pub(crate) fn from_key(key: &str, kind: TokenKind, weight: f64) -> Self {
        Self {
            key: key.to_owned(),
            phonetic: phonetic::phonetic_key(key),
            skeleton: phonetic::skeleton(key),
            vowel_poor: phonetic::is_vowel_poor(key),
            kind,
            weight,
        }
    }
}

/// A name's tokens ready for scoring, with the keys of each adjacent pair glued, computed once.
#[derive(Clone, Debug, PartialEq)]
pub struct NameFeatures {
    pub tokens: Vec<Features>,
    /// `glued[i]` is the comparison key of tokens `i` and `i + 1` written as one.
    pub glued: Vec<String>,
}

impl NameFeatures {
    pub fn of(tokens: &[Token]) -> Self {
        let tokens: Vec<Features> = tokens.iter().map(Features::of).collect();
        let glued = tokens
            .windows(2)
            .map(|w| phonetic::comparison_key(&format!("{}{}", w[0].key, w[1].key)))
            .collect();
        Self { tokens, glued }
    }
}

/// The similarity of two tokens and how it was reached, or `None` below [`PAIR_FLOOR`].
pub fn token_similarity(q: &Features, n: &Features) -> Option<(f64, PairKind)> {
    if q.kind == TokenKind::LegalForm || n.kind == TokenKind::LegalForm {
        return (q.kind == n.kind && q.key == n.key).then_some((1.0, PairKind::Exact));
    }
    if q.key == n.key {
        return Some((1.0, PairKind::Exact));
    }
    let initial = |short: &Features, long: &Features| {
        short.kind == TokenKind::Initial && long.key.starts_with(short.key.as_str())
    };
    if initial(q, n) || initial(n, q) {
        return Some((INITIAL_SCORE, PairKind::Initial));
    }
    if q.kind == TokenKind::Initial || n.kind == TokenKind::Initial {
        return None;
    }
    let mut best = (strsim::jaro_winkler(&q.key, &n.key), PairKind::Fuzzy);
    let mut consider = |score: f64, kind: PairKind| {
        if score > best.0 {
            best = (score, kind);
        }
    };
    if q.phonetic.len() >= 2 && q.phonetic == n.phonetic {
        consider(PHONETIC_SCORE, PairKind::Phonetic);
    }
    if (q.vowel_poor || n.vowel_poor) && !q.skeleton.is_empty() && q.skeleton == n.skeleton {
        consider(SKELETON_SCORE, PairKind::Skeleton);
    }
    let (ql, nl) = (q.key.chars().count(), n.key.chars().count());
    if ql >= 3 && nl > ql && n.key.starts_with(q.key.as_str()) {
        consider(0.80 + 0.15 * ql as f64 / nl as f64, PairKind::Prefix);
    }
    (best.0 >= PAIR_FLOOR).then_some(best)
}

/// An initial is weak evidence: it keeps a name whose other tokens match, and weighs half a word.
pub const INITIAL_SCORE: f64 = 0.80;
const PHONETIC_SCORE: f64 = 0.90;
const SKELETON_SCORE: f64 = 0.88;

/// One aligned pair: which query tokens went with which list tokens (two on one side when glued).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub query: Vec<usize>,
    pub name: Vec<usize>,
    pub score: f64,
    pub kind: PairKind,
}

/// A name's score with its alignment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NameScore {
    pub score: f64,
    /// Weighted share of the query explained by the pairs.
    pub query_coverage: f64,
    /// Weighted share of the list name explained by the pairs.
    pub name_coverage: f64,
    pub pairs: Vec<Pair>,
}

/// How much the query side counts: every query token must be explained, while a list name may carry
/// middle names the customer left out.
pub const QUERY_SIDE: f64 = 0.7;

/// Scores a query against one list name. The score never exceeds the best pair's score, and a query token
/// without a pair adds nothing: the index relies on both to find every name at or above a threshold.
pub fn score_name(query: &NameFeatures, name: &NameFeatures) -> NameScore {
    let (q, n) = (&query.tokens, &name.tokens);
    let mut candidates: Vec<Pair> = Vec::new();
    for (i, qt) in q.iter().enumerate() {
        for (j, nt) in n.iter().enumerate() {
            if let Some((score, kind)) = token_similarity(qt, nt) {
                candidates.push(Pair {
                    query: vec![i],
                    name: vec![j],
                    score,
                    kind,
                });
            }
        }
    }
    for (i, glued) in query.glued.iter().enumerate() {
        for (j, nt) in n.iter().enumerate() {
            if *glued == nt.key {
                candidates.push(Pair {
                    query: vec![i, i + 1],
                    name: vec![j],
                    score: 1.0,
                    kind: PairKind::Glued,
                });
            }
        }
    }
    for (j, glued) in name.glued.iter().enumerate() {
        for (i, qt) in q.iter().enumerate() {
            if *glued == qt.key {
                candidates.push(Pair {
                    query: vec![i],
                    name: vec![j, j + 1],
                    score: 1.0,
                    kind: PairKind::Glued,
                });
            }
        }
    }
    // Best first; on ties prefer plain pairs, then earlier tokens, so the alignment is deterministic.
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((a.query.len() + a.name.len()).cmp(&(b.query.len() + b.name.len())))
            .then(a.query.cmp(&b.query))
            .then(a.name.cmp(&b.name))
    });
    let mut query_used = vec![false; q.len()];
    let mut name_used = vec![false; n.len()];
    let mut pairs = Vec::new();
    for pair in candidates {
        if pair.query.iter().any(|&i| query_used[i]) || pair.name.iter().any(|&j| name_used[j]) {
            continue;
        }
        pair.query.iter().for_each(|&i| query_used[i] = true);
        pair.name.iter().for_each(|&j| name_used[j] = true);
        pairs.push(pair);
    }
    let query_coverage = coverage(q, &pairs, |p| &p.query);
    let name_coverage = coverage(n, &pairs, |p| &p.name);
    pairs.sort_by_key(|p| p.query.first().copied());
    NameScore {
        score: QUERY_SIDE * query_coverage + (1.0 - QUERY_SIDE) * name_coverage,
        query_coverage,
        name_coverage,
        pairs,
    }
}

/// The weighted share of one side's tokens that the pairs explain, each weighted by its pair's score.
fn coverage(side: &[Features], pairs: &[Pair], pick: impl Fn(&Pair) -> &Vec<usize>) -> f64 {
    let total: f64 = side.iter().map(|f| f.weight).sum();
    if total == 0.0 {
        return 0.0;
    }
    let explained: f64 = pairs
        .iter()
        .map(|p| pick(p).iter().map(|&k| side[k].weight).sum::<f64>() * p.score)
        .sum();
    explained / total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;

    fn features(name: &str) -> NameFeatures {
        NameFeatures::of(&normalize(name))
    }

    fn score(a: &str, b: &str) -> f64 {
        score_name(&features(a), &features(b)).score
    }

    #[test]
    fn identical_names_score_one() {
        assert_eq!(
            score("CANO CORREA, Jhon Eidelber", "Jhon Eidelber Cano Correa"),
            1.0
        );
    }

    #[test]
    fn a_dropped_middle_name_costs_less_than_a_wrong_one() {
        let dropped = score("CANO Jhon Eidelber", "CANO CORREA, Jhon Eidelber");
        let swapped = score("CANO CORREA Jhon MANDRO", "CANO CORREA, Jhon Eidelber");
        assert!(dropped > swapped + 0.1, "{dropped} vs {swapped}");
    }

    #[test]
    fn vowel_drop_and_sound_alikes_match() {
        assert!(score("AHMD, Njmddn Frj", "AHMAD, Najmuddin Faraj") > 0.85);
        assert!(score("kANO CORREA, Jhon Eidelber", "CANO CORREA, Jhon Eidelber") > 0.9);
    }

    #[test]
    fn glued_tokens_pair_with_their_parts() {
        let result = score_name(&features("Abdul Rahman"), &features("abdulrahman"));
        assert_eq!(result.score, 1.0);
        let result = score_name(
            &features("Jean Pierre Dupont"),
            &features("Jeanpierre Dupont"),
        );
        assert_eq!(result.pairs[0].kind, PairKind::Glued);
        assert_eq!(result.pairs[0].query, vec![0, 1]);
    }

    #[test]
    fn score_never_exceeds_the_best_pair() {
        let result = score_name(&features("John Smith"), &features("Jon Smyth Jones"));
        let best = result.pairs.iter().map(|p| p.score).fold(0.0, f64::max);
        assert!(result.score <= best);
    }

    #[test]
    fn unrelated_names_score_low() {
        assert!(score("Kathryn Barr", "AEROCARIBBEAN AIRLINES") < 0.3);
    }
}
