//! How alike two names are, and why. A name is scored token by token: each query token is paired with at
//! most one list token (or two tokens glued), the pairs are chosen best first, and the score weighs how
//! much of the query and how much of the list name the pairs explain. The pairs themselves are the
//! evidence an analyst sees.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::bound::Letters;
use crate::normalize::{Token, TokenKind};
use crate::{distance, phonetic};

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
    /// One given name in two languages (`Iosif` / `Yusuf`), from the equivalents table.
    Equivalent,
}

/// What the scorer needs of a token, computed once per token (the index keeps these for every list
/// token).
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    pub key: String,
    /// Length of `key` in characters.
    pub len: u32,
    pub(crate) letters: Letters,
    pub first: Option<char>,
    pub phonetic: String,
    pub skeleton: String,
    /// Vowels between the first and the last letter, as spelt (`y` is a consonant here, an `i` in the
    /// key): a name typed without vowels often keeps both ends (`Mra Hlna`, `Nzymn`).
    pub inner_vowels: usize,
    pub kind: TokenKind,
    /// How much the token counts: its kind's weight times how rare the word is.
    pub weight: f64,
    /// The group of given names across languages the word belongs to.
    pub equivalence: Option<u32>,
}

impl Features {
    pub fn of(token: &Token) -> Self {
        let tables = crate::tables::tables();
        let weight = match token.kind {
            TokenKind::Word | TokenKind::Syllable => tables.weight(&token.key),
            TokenKind::Initial => 0.5,
            TokenKind::Particle => 0.3,
            TokenKind::LegalForm => 0.2,
            TokenKind::Generic => GENERIC_WEIGHT,
        };
        let mut features = Self::spelt(&token.text, &token.key, token.kind, weight);
        features.equivalence = (token.kind == TokenKind::Word)
            .then(|| tables.equivalence(&token.key))
            .flatten();
        features
    }

    /// The features of a token spelt `text`, whose comparison key is `key`.
    fn spelt(text: &str, key: &str, kind: TokenKind, weight: f64) -> Self {
        Self {
            key: key.to_owned(),
            len: key.chars().count() as u32,
            letters: Letters::of(key),
            first: key.chars().next(),
            phonetic: phonetic::phonetic_key(key),
            // From the spelling, not the key: the key reads `rn` as an OCR slip for `m` and `y` as `i`,
            // while without vowels `elctrncs` is `electronics` and `nzymn` has none.
            skeleton: phonetic::skeleton(text),
            inner_vowels: inner(text)
                .chars()
                .filter(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
                .count(),
            kind,
            weight,
            equivalence: None,
        }
    }

    /// A token whose spelling is its key, for tests of the scan.
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn from_key(key: &str, kind: TokenKind, weight: f64) -> Self {
        Self::spelt(key, key, kind, weight)
    }
}

/// The letters between the first and the last.
fn inner(key: &str) -> &str {
    let mut chars = key.chars();
    chars.next();
    chars.next_back();
    chars.as_str()
}

/// A name's tokens ready for scoring, with the keys of each adjacent pair glued, computed once.
#[derive(Clone, Debug, PartialEq)]
pub struct NameFeatures {
    pub tokens: Vec<Features>,
    /// Runs of two or three adjacent tokens written as one (`van der bilt`, `vanderbilt`): where the run
    /// starts, how many tokens it spans, and its comparison key.
    pub glued: Vec<Glued>,
    /// Where each token starts in the name as written, for the printed order that normalising (`LAST,
    /// First`) changed.
    pub starts: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Glued {
    pub start: usize,
    pub len: usize,
    pub key: String,
}

impl NameFeatures {
    pub fn of(tokens: &[Token]) -> Self {
        Self::from_features(tokens, tokens.iter().map(Features::of).collect())
    }

    /// The name's features from its tokens and their features, in order.
    pub fn from_features(names: &[Token], tokens: Vec<Features>) -> Self {
        let glued = (2..=3)
            .flat_map(|len| {
                tokens
                    .windows(len)
                    .enumerate()
                    .map(move |(start, run)| Glued {
                        start,
                        len,
                        key: phonetic::comparison_key(
                            &run.iter().map(|f| f.key.as_str()).collect::<String>(),
                        ),
                    })
            })
            .collect();
        Self {
            tokens,
            glued,
            starts: names.iter().map(|t| t.span.0).collect(),
        }
    }

    /// The token written last, when the name has more than one: a name cut at a field width is cut there.
    pub fn last_written(&self) -> Option<usize> {
        (self.tokens.len() > 1)
            .then(|| (0..self.starts.len()).max_by_key(|&i| self.starts[i]))
            .flatten()
    }

    /// The last written token when it is two letters of a word, which may be the start of a longer word
    /// cut at a field width: only the whole name can tell, so the token-by-token search cannot find its
    /// pairs.
    pub(crate) fn short_cut(&self) -> Option<usize> {
        self.last_written()
            .filter(|&i| self.tokens[i].kind == TokenKind::Word && self.tokens[i].len == 2)
    }
}

/// What a generic word weighs against a word's 1: enough that `Iran Trading` is not `Iran Shipping`, little
/// enough that the words that name the party decide.
const GENERIC_WEIGHT: f64 = 0.3;

/// The similarity of two tokens and how it was reached, or `None` below [`PAIR_FLOOR`], taking the query
/// token for a word perhaps cut short: the search for candidates, which looks at one token at a time.
pub fn token_similarity(q: &Features, n: &Features) -> Option<(f64, PairKind)> {
    similarity(q, n, true)
}

/// [`token_similarity`], with `may_be_cut` saying whether the query token may be a word cut short. Only
/// the word written last can be: a field width cuts a name at its end, so a word before it that starts a
/// list word is another word (`Alex` is not `Alexey`, `Igor` is not `Igorevich`).
fn similarity(q: &Features, n: &Features, may_be_cut: bool) -> Option<(f64, PairKind)> {
    if q.kind == TokenKind::LegalForm || n.kind == TokenKind::LegalForm {
        return (q.kind == n.kind && q.key == n.key).then_some((1.0, PairKind::Exact));
    }
    if q.key == n.key {
        return Some((1.0, PairKind::Exact));
    }
    // A particle pairs with a particle (`abd`, `abdul`) but never with a word, unless the query wrote a
    // word without its vowels that reads as a particle (`bn` for `ben`); two generic words are canonical, so
    // different ones are different words; and an initial stands for a name, not a generic word.
    if (q.kind == TokenKind::Particle) != (n.kind == TokenKind::Particle) {
        return (q.kind == TokenKind::Particle
            && n.kind == TokenKind::Word
            && vowels_dropped(q, n))
        .then_some((SKELETON_SCORE, PairKind::Skeleton));
    }
    // A syllable is whole: it pairs by sound, never as a typo, a prefix or without vowels (`wang jun` is not
    // `wang junzheng`).
    if q.kind == TokenKind::Syllable || n.kind == TokenKind::Syllable {
        let sound = q.phonetic.len() >= 3 && q.phonetic == n.phonetic;
        let kinds = [q.kind, n.kind];
        return (sound && kinds.iter().all(|k| k.is_searched()))
            .then_some((PHONETIC_SCORE, PairKind::Phonetic));
    }
    let generic = (q.kind == TokenKind::Generic, n.kind == TokenKind::Generic);
    if generic == (true, true)
        || (generic.0 || generic.1)
            && (q.kind == TokenKind::Initial || n.kind == TokenKind::Initial)
    {
        return None;
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
    let mut best = (0.0, PairKind::Fuzzy);
    if fuzzy_upper(q, n) >= PAIR_FLOOR {
        best.0 = fuzzy(&q.key, &n.key);
    }
    let mut consider = |score: f64, kind: PairKind| {
        if score > best.0 {
            best = (score, kind);
        }
    };
    if q.phonetic.len() >= 3 && q.phonetic == n.phonetic {
        consider(PHONETIC_SCORE, PairKind::Phonetic);
    }
    // Same consonants, and the query wrote no vowel inside the word where the list name wrote some:
    // dropped on purpose. `mir` is not `omar` without its vowels, and a query is not an acronym (`MTT`).
    if vowels_dropped(q, n) {
        consider(SKELETON_SCORE, PairKind::Skeleton);
    }
    if may_be_cut && q.len >= 3 && n.len > q.len && n.key.starts_with(q.key.as_str()) {
        consider(prefix_score(q, n), PairKind::Prefix);
    }
    if q.equivalence.is_some() && q.equivalence == n.equivalence {
        consider(EQUIVALENT_SCORE, PairKind::Equivalent);
    }
    (best.0 >= PAIR_FLOOR).then_some(best)
}

/// Same consonants, and the query wrote no vowel inside the word where the list name wrote some: dropped on
/// purpose. `mir` is not `omar` without its vowels, and a query is not an acronym (`MTT`).
fn vowels_dropped(q: &Features, n: &Features) -> bool {
    q.inner_vowels == 0
        && n.inner_vowels >= 1
        && q.skeleton.chars().nth(1).is_some()
        && q.skeleton == n.skeleton
}

/// A word cut short scores by how much of the word it keeps.
fn prefix_score(q: &Features, n: &Features) -> f64 {
    0.80 + 0.15 * f64::from(q.len) / f64::from(n.len)
}

/// Jaro-Winkler capped by an edit-distance similarity. Jaro-Winkler alone flatters names that share a
/// prefix and differ after it (`Pezeshfar` and `Pezeshkian` score 0.94); counting the edits keeps a typo
/// (one edit) close to 1 while a different ending falls below the floor. The `+ 2` lets short tokens
/// absorb one edit.
pub fn fuzzy(a: &str, b: &str) -> f64 {
    let jw = distance::jaro_winkler(a, b);
    if jw < PAIR_FLOOR {
        return jw;
    }
    let longest = a.chars().count().max(b.chars().count());
    let edits = distance::osa_distance(a, b);
    let by_edits = 1.0 - edits as f64 / (longest + 2) as f64;
    jw.min(by_edits)
}

/// An upper bound on [`fuzzy`] from lengths and letter counts alone, so most pairs are never compared.
pub(crate) fn fuzzy_upper(q: &Features, n: &Features) -> f64 {
    let prefix = if q.first == n.first { 4 } else { 0 };
    let shared = q.letters.shared_upper(&n.letters);
    crate::bound::fuzzy_upper(q.len, n.len, shared, prefix)
}

/// An initial is weak evidence: it keeps a name whose other tokens match, and weighs half a word.
pub const INITIAL_SCORE: f64 = 0.80;
const PHONETIC_SCORE: f64 = 0.90;
const SKELETON_SCORE: f64 = 0.88;
/// A name's form in another language is the same name, but says a little less than the same spelling.
const EQUIVALENT_SCORE: f64 = 0.9;

/// One aligned pair: which query tokens went with which list tokens (a run of two or three on one side
/// when glued).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub query: Range<usize>,
    pub name: Range<usize>,
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

/// The evidence, in rare words' weights, that a match needs before it scores in full: a rare word and a
/// common one, or three common ones. Chosen with [`THIN_EVIDENCE_PENALTY`] on the tune half of the held-out
/// sets (README, Quality).
const EVIDENCE_FULL: f64 = 1.8;
/// What a match with no evidence at all would lose; a match loses its share of what it lacks.
const THIN_EVIDENCE_PENALTY: f64 = 0.1;

/// What each word substituted for another costs, beyond leaving both unexplained.
const SUBSTITUTION_PENALTY: f64 = 0.05;

/// How much the query side counts: every query token must be explained, while a list name may carry
/// middle names the customer left out.
pub const QUERY_SIDE: f64 = 0.7;

/// Scores a query against one list name. The score never exceeds the best pair's score, and a query token
/// without a pair adds nothing: the index relies on both to find every name at or above a threshold.
pub fn score_name(query: &NameFeatures, name: &NameFeatures) -> NameScore {
    let (q, n) = (&query.tokens, &name.tokens);
    let last = query.last_written().unwrap_or(0);
    let mut candidates: Vec<Pair> = Vec::new();
    for (i, qt) in q.iter().enumerate() {
        for (j, nt) in n.iter().enumerate() {
            if let Some((score, kind)) = similarity(qt, nt, i == last) {
                candidates.push(Pair {
                    query: i..i + 1,
                    name: j..j + 1,
                    score,
                    kind,
                });
            }
        }
    }
    // Two letters written last may be a word cut at a field width.
    if let Some(i) = query.short_cut() {
        for (j, nt) in n.iter().enumerate() {
            if nt.kind != TokenKind::LegalForm
                && nt.len > q[i].len
                && nt.key.starts_with(q[i].key.as_str())
            {
                candidates.push(Pair {
                    query: i..i + 1,
                    name: j..j + 1,
                    score: prefix_score(&q[i], nt),
                    kind: PairKind::Prefix,
                });
            }
        }
    }
    for glued in &query.glued {
        for (j, nt) in n.iter().enumerate() {
            if glued.key == nt.key {
                candidates.push(Pair {
                    query: glued.start..glued.start + glued.len,
                    name: j..j + 1,
                    score: 1.0,
                    kind: PairKind::Glued,
                });
            }
        }
    }
    for glued in &name.glued {
        for (i, qt) in q.iter().enumerate() {
            if glued.key == qt.key {
                candidates.push(Pair {
                    query: i..i + 1,
                    name: glued.start..glued.start + glued.len,
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
            .then((a.query.start, a.query.end).cmp(&(b.query.start, b.query.end)))
            .then((a.name.start, a.name.end).cmp(&(b.name.start, b.name.end)))
    });
    let mut query_used = vec![false; q.len()];
    let mut name_used = vec![false; n.len()];
    let mut pairs = Vec::new();
    for pair in candidates {
        if query_used[pair.query.clone()].iter().any(|&u| u)
            || name_used[pair.name.clone()].iter().any(|&u| u)
        {
            continue;
        }
        query_used[pair.query.clone()].fill(true);
        name_used[pair.name.clone()].fill(true);
        pairs.push(pair);
    }
    // A list name's legal form counts only when the query states one too (`Siemens` is `Siemens AG`);
    // the query's own always counts, so a person's `Sá` read as `S.A.` cannot vanish from the query.
    let query_states_legal = q.iter().any(|f| f.kind == TokenKind::LegalForm);
    let cut_off = cut_off(query, name, &pairs, &name_used);
    let query_coverage = coverage(q, &pairs, true, &[], |p| &p.query);
    let name_coverage = coverage(n, &pairs, query_states_legal, &cut_off, |p| &p.name);
    // A word left over on both sides is a substitution (`HAMADI BEN AHMED` / `HAMADI BEN ABDUL`): far
    // stronger evidence of another party than a word missing on one side (a dropped middle name).
    let leftover = |side: &[Features], used: &[bool]| {
        side.iter()
            .zip(used)
            .filter(|(f, used)| f.kind.is_searched() && !**used)
            .count()
    };
    let name_left: Vec<bool> = name_used
        .iter()
        .zip(&cut_off)
        .map(|(u, c)| *u || *c)
        .collect();
    let substitutions = leftover(q, &query_used).min(leftover(n, &name_left));
    // A match resting on little (one word, or two common ones) scores less however well it covers both
    // names: `Mohammad` alone does not carry a name.
    let evidence: f64 = pairs
        .iter()
        .map(|p| p.score * p.query.clone().map(|k| q[k].weight).sum::<f64>())
        .sum();
    let thin = (1.0 - evidence / EVIDENCE_FULL).max(0.0);
    pairs.sort_by_key(|p| p.query.start);
    let score = QUERY_SIDE * query_coverage + (1.0 - QUERY_SIDE) * name_coverage
        - SUBSTITUTION_PENALTY * substitutions as f64
        - THIN_EVIDENCE_PENALTY * thin;
    NameScore {
        score: score.max(0.0),
        query_coverage,
        name_coverage,
        pairs,
    }
}

/// The list tokens a query cut at a field width never reached: when the query's last written token pairs
/// as the start of a list word, the unexplained list tokens after that word both as the list writes the
/// name and in the order a customer's name is written (given names first). A list's `MARTINEZ CASAS,
/// Carlos Mario` is stored as `Carlos Mario Martinez Casas`, so a cut in `Martinez` leaves `Mario` before
/// it; and `GARCIA, Maria Martina` cut in `Martina` still had `Garcia`. The query scores by what it covers.
fn cut_off(query: &NameFeatures, name: &NameFeatures, pairs: &[Pair], used: &[bool]) -> Vec<bool> {
    let cut = query.last_written().and_then(|last| {
        pairs
            .iter()
            .find(|p| p.kind == PairKind::Prefix && p.query == (last..last + 1))
            .map(|p| p.name.start)
    });
    match cut {
        Some(cut) => (0..name.tokens.len())
            .zip(used)
            .map(|(at, used)| !used && at > cut && name.starts[at] > name.starts[cut])
            .collect(),
        None => vec![false; name.tokens.len()],
    }
}

/// The weighted share of one side's tokens that the pairs explain, each weighted by its pair's score;
/// tokens marked in `skip` count on neither side of the share.
fn coverage(
    side: &[Features],
    pairs: &[Pair],
    count_legal: bool,
    skip: &[bool],
    pick: impl Fn(&Pair) -> &Range<usize>,
) -> f64 {
    let weight = |f: &Features| {
        if f.kind == TokenKind::LegalForm && !count_legal {
            0.0
        } else {
            f.weight
        }
    };
    let total: f64 = side
        .iter()
        .enumerate()
        .filter(|(k, _)| !skip.get(*k).copied().unwrap_or(false))
        .map(|(_, f)| weight(f))
        .sum();
    if total == 0.0 {
        return 0.0;
    }
    let explained: f64 = pairs
        .iter()
        .map(|p| {
            pick(p)
                .clone()
                .map(|k| {
                    // A word explained only by an initial is half explained.
                    let initial_for_word =
                        p.kind == PairKind::Initial && side[k].kind != TokenKind::Initial;
                    weight(&side[k]) * if initial_for_word { 0.5 } else { 1.0 }
                })
                .sum::<f64>()
                * p.score
        })
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
        // `bn` reads as the particle `bin`, and still pairs with the word `ben` it was written from.
        let result = score_name(
            &features("MHD BN MHMD KMMN"),
            &features("KAMMOUN, Mehdi Ben Mohamed"),
        );
        assert_eq!(result.pairs.len(), 4);
        assert!(result.score > 0.85, "{}", result.score);
    }

    #[test]
    fn given_names_across_languages_are_equivalents() {
        let pair = |a: &str, b: &str| {
            let (a, b) = (features(a), features(b));
            token_similarity(&a.tokens[0], &b.tokens[0]).map(|(_, kind)| kind)
        };
        assert_eq!(pair("Yusuf", "Joseph"), Some(PairKind::Equivalent));
        assert_eq!(pair("Iskander", "Aleksandr"), Some(PairKind::Equivalent));
        assert_eq!(pair("Mehmet", "Muhammad"), Some(PairKind::Equivalent));
        assert_eq!(pair("Joseph", "Ivan"), None);
    }

    #[test]
    fn glued_tokens_pair_with_their_parts() {
        let result = score_name(&features("Abdul Rahman"), &features("abdulrahman"));
        assert_eq!((result.query_coverage, result.name_coverage), (1.0, 1.0));
        let result = score_name(
            &features("Jean Pierre Dupont"),
            &features("Jeanpierre Dupont"),
        );
        assert_eq!(result.pairs[0].kind, PairKind::Glued);
        assert_eq!(result.pairs[0].query, 0..2);
    }

    #[test]
    fn score_never_exceeds_the_best_pair() {
        let result = score_name(&features("John Smith"), &features("Jon Smyth Jones"));
        let best = result.pairs.iter().map(|p| p.score).fold(0.0, f64::max);
        assert!(result.score <= best);
    }

    #[test]
    fn common_words_alone_do_not_carry_a_name() {
        let common = score("Mohammad Ali", "ALI, Mohammad");
        let rare = score("Najmuddin Faraj", "FARAJ, Najmuddin");
        assert_eq!(rare, 1.0);
        assert!(common < rare, "{common}");
    }

    #[test]
    fn a_name_cut_at_a_field_width_scores_by_what_it_covers() {
        let cut = score_name(
            &features("CALDERON VINDELL, Ra"),
            &features("CALDERON VINDELL, Ramon Humberto"),
        );
        assert!(cut.score > 0.9, "{cut:?}");
        assert!(cut.pairs.iter().any(|p| p.kind == PairKind::Prefix));
        assert!(
            score(
                "TOSONG TECHNOLOGY TR",
                "TOSONG TECHNOLOGY TRADING CORPORATION"
            ) > 0.9
        );
    }

    #[test]
    fn only_the_word_written_last_is_read_as_cut_short() {
        let last = score_name(&features("Vladimir Puti"), &features("Vladimir Putinov"));
        assert!(
            last.pairs.iter().any(|p| p.kind == PairKind::Prefix),
            "{last:?}"
        );
        let first = score_name(&features("Alex Miller"), &features("MILLER, Alexey"));
        assert!(
            first.pairs.iter().all(|p| p.kind != PairKind::Prefix),
            "{first:?}"
        );
    }

    #[test]
    fn a_cut_leaves_out_only_what_follows_it_as_written_and_as_a_customer_writes_the_name() {
        let left_out = |query: &str, listed: &str| {
            let (query, name) = (features(query), features(listed));
            let result = score_name(&query, &name);
            let mut used = vec![false; name.tokens.len()];
            for pair in &result.pairs {
                used[pair.name.clone()].fill(true);
            }
            let cut = cut_off(&query, &name, &result.pairs, &used);
            name.tokens
                .iter()
                .zip(cut)
                .filter(|(_, cut)| *cut)
                .map(|(t, _)| t.key.clone())
                .collect::<Vec<_>>()
        };
        // Stored given names first, `Carlos Mario Martinez Casas` cut in `Martinez` still had `Mario`.
        assert_eq!(
            left_out("Carlos Martine", "MARTINEZ CASAS, Carlos Mario"),
            ["casas"]
        );
        // Written surname first, `GARCIA, Maria Martina` cut in `Martina` still had `Garcia`.
        assert!(left_out("Maria Marti", "GARCIA, Maria Martina").is_empty());
    }

    #[test]
    fn mangled_generic_and_legal_words_still_count_as_such() {
        assert!(
            score(
                "CHINA ELECTRONICS CORPORATIOy",
                "CHINA ELECTRONICS CORPORATION"
            ) > 0.9
        );
        assert!(score("PND ELCTRNCS GRP LMTD", "PANDA ELECTRONICS GROUP CO., LTD.") > 0.82);
        assert!(score("NORTHERN STAR TRADING", "NORTHERN STAR SHIPPING") < 0.9);
    }

    #[test]
    fn syllables_pair_whole() {
        let same = score_name(&features("王俊"), &features("WANG Jun"));
        assert_eq!((same.query_coverage, same.name_coverage), (1.0, 1.0));
        assert!(score("王俊", "WANG, Junzheng") < 0.82);
    }

    #[test]
    fn kh_is_written_h() {
        assert!(score("Halid Akhmed", "KHALID, Ahmed") > 0.85);
    }

    #[test]
    fn unrelated_names_score_low() {
        assert!(score("Kathryn Barr", "AEROCARIBBEAN AIRLINES") < 0.3);
    }
}
