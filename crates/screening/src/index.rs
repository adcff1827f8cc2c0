//! The screening index: every list name, normalised once, and a vocabulary of its tokens with the names
//! each token occurs in. A query scores only the names that share a similar token with it, and finds
//! exactly the names a scan of every name would find at or above the threshold (a property test holds the
//! two to that).

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};

use crate::correlation::Correlation;
use crate::model::{AliasStrength, Entity};
use crate::normalize::{Token, TokenKind, normalize};
use crate::query::{Context, Query};
use crate::scan::Scan;
use crate::score::{
    Features, NameFeatures, NameScore, PAIR_FLOOR, PairKind, QUERY_SIDE, score_name,
    token_similarity,
};

/// A query longer than this many tokens is screened on its first tokens only, so a hostile 10 kB "name"
/// costs no more than a long real one.
pub const MAX_QUERY_TOKENS: usize = 24;

/// Matching a weak a.k.a. is weaker evidence than matching a strong name (OFAC: weak a.k.a.s alone should
/// not cause a block).
const WEAK_ALIAS_FACTOR: f64 = 0.95;

/// One name of one entity, normalised.
#[derive(Clone, Debug)]
struct IndexedName {
    entity: u32,
    /// 0 for the primary name, `k + 1` for alias `k`.
    which: u32,
    tokens: Vec<Token>,
    features: NameFeatures,
}

/// The distinct token keys of every list name, with what the candidate scan needs in flat arrays.
#[derive(Clone, Debug, Default)]
struct Vocabulary {
    /// One entry per kind and spelling, not per comparison key: spellings that share a key (`mustafa`,
    /// `mustapha`) can differ in their consonant skeleton and vowels, which the scorer reads from the
    /// spelling, so each keeps its own features.
    ids: HashMap<(TokenKind, String), u32>,
    /// The entries of each kind and comparison key, for exact pairs.
    by_key: HashMap<(TokenKind, String), Vec<u32>>,
    features: Vec<Features>,
    /// What the fuzzy bound needs of every token, for the scan.
    scan: Scan,
    /// Names holding each token, ascending, without repeats.
    postings: Vec<Vec<u32>>,
    by_phonetic: HashMap<String, Vec<u32>>,
    by_skeleton: HashMap<String, Vec<u32>>,
    /// Tokens by equivalence group; groups are numbered from 0.
    by_equivalence: Vec<Vec<u32>>,
    /// Token ids sorted by key, for prefix ranges.
    sorted: Vec<u32>,
    /// Initial tokens (`j`) by their letter.
    initials: HashMap<char, u32>,
}

/// Two adjacent list tokens glued, and the names where they stand so.
type GluedPostings = HashMap<String, Vec<u32>>;

/// The index over a snapshot's entities.
#[derive(Clone, Debug)]
pub struct Index {
    entities: Vec<Entity>,
    names: Vec<IndexedName>,
    vocabulary: Vocabulary,
    glued: GluedPostings,
}

/// What searches of one index have learnt about query tokens, kept between searches: each distinct
/// spelling's features and the vocabulary tokens similar to it depend on the spelling alone, so a caller that
/// screens many names sharing tokens against one index (a list update's job over every customer) works
/// each token out once. A memo belongs to the index it was used with.
#[derive(Debug, Default)]
pub struct Memo {
    features: HashMap<(TokenKind, String), Features>,
    similar: HashMap<(TokenKind, String), Vec<(u32, f64)>>,
}

impl Memo {
    /// A name's features, each spelling's worked out once.
    fn name_features(&mut self, tokens: &[Token]) -> NameFeatures {
        NameFeatures::from_features(
            tokens,
            tokens
                .iter()
                .map(|t| {
                    self.features
                        .entry((t.kind, t.text.clone()))
                        .or_insert_with(|| Features::of(t))
                        .clone()
                })
                .collect(),
        )
    }
}

/// Which of an entity's names matched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum NameSource {
    Primary,
    Alias {
        index: u32,
        alias_type: crate::model::AliasType,
        strength: AliasStrength,
    },
}

/// One aligned token pair, in the words an analyst reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TokenEvidence {
    pub query_token: String,
    pub list_token: String,
    /// Byte range of the token in the query as given.
    pub query_span: (u32, u32),
    /// Byte range of the token in the matched list name as the list prints it.
    pub list_span: (u32, u32),
    pub score: f64,
    pub kind: PairKind,
}

/// Whether a non-name field agreed, and by how much it moved the score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldEvidence {
    pub field: Field,
    pub matched: bool,
    pub adjustment: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    DateOfBirth,
    Country,
    EntityType,
}

/// Why a result matched: enough for the console to highlight both names side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub matched_name: String,
    pub name_source: NameSource,
    pub name_score: f64,
    pub query_coverage: f64,
    pub name_coverage: f64,
    pub tokens: Vec<TokenEvidence>,
    /// The query tokens no list token explained.
    pub unmatched_query_tokens: Vec<String>,
    /// The list tokens no query token explained.
    pub unmatched_list_tokens: Vec<String>,
    pub fields: Vec<FieldEvidence>,
}

/// One listed entity the query may belong to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// Position of the entity in [`Index::entities`].
    pub entity: u32,
    pub score: f64,
    pub correlation: Correlation,
    pub evidence: Evidence,
}

impl Index {
    /// Normalises every name of every entity and builds the vocabulary.
    pub fn build(entities: Vec<Entity>) -> Self {
        let mut names = Vec::new();
        // List names repeat their words: each spelling's features are worked out once.
        let mut memo = Memo::default();
        for (e, entity) in entities.iter().enumerate() {
            for (which, name) in entity.names().enumerate() {
                let tokens = normalize(name);
                if tokens.is_empty() {
                    continue;
                }
                let features = memo.name_features(&tokens);
                names.push(IndexedName {
                    entity: e as u32,
                    which: which as u32,
                    tokens,
                    features,
                });
            }
        }
        let mut vocabulary = Vocabulary::default();
        let mut glued: GluedPostings = HashMap::new();
        for (n, name) in names.iter().enumerate() {
            let n = n as u32;
            for (token, feature) in name.tokens.iter().zip(&name.features.tokens) {
                let id = match vocabulary.ids.get(&(feature.kind, token.text.clone())) {
                    Some(&id) => id,
                    None => vocabulary.add(&token.text, feature),
                };
                let postings = &mut vocabulary.postings[id as usize];
                if postings.last() != Some(&n) {
                    postings.push(n);
                }
            }
            for run in &name.features.glued {
                let postings = glued.entry(run.key.clone()).or_default();
                if postings.last() != Some(&n) {
                    postings.push(n);
                }
            }
        }
        vocabulary.finish();
        Self {
            entities,
            names,
            vocabulary,
            glued,
        }
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    /// How many names (primaries and aliases) are indexed.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Entities whose best name scores at or above `threshold` after the date of birth, country and type
    /// factors, strongest first, at most `limit`.
    pub fn search(&self, query: &Query, threshold: f64, limit: usize) -> Vec<Match> {
        self.run(query, threshold, limit, false, None)
    }

    /// The same as [`Index::search`], working out each query token once across every search that shares
    /// `memo` (which must only ever be used with this index).
    pub fn search_remembering(
        &self,
        query: &Query,
        threshold: f64,
        limit: usize,
        memo: &mut Memo,
    ) -> Vec<Match> {
        self.run(query, threshold, limit, false, Some(memo))
    }

    /// The same as [`Index::search`] by scoring every name: the reference the index is tested against.
    pub fn search_exhaustive(&self, query: &Query, threshold: f64, limit: usize) -> Vec<Match> {
        self.run(query, threshold, limit, true, None)
    }

    fn run(
        &self,
        query: &Query,
        threshold: f64,
        limit: usize,
        exhaustive: bool,
        mut memo: Option<&mut Memo>,
    ) -> Vec<Match> {
        let mut tokens = normalize(&query.name);
        tokens.truncate(MAX_QUERY_TOKENS);
        if tokens.is_empty() || limit == 0 {
            return Vec::new();
        }
        let features = match memo.as_deref_mut() {
            Some(memo) => memo.name_features(&tokens),
            None => NameFeatures::of(&tokens),
        };
        let context = Context::new(query);
        // A name must reach this before the other fields can lift it over the threshold.
        let gate = threshold - context.max_raise();
        let candidates: Vec<u32> = if exhaustive || unsearched_bound(&features) >= gate {
            (0..self.names.len() as u32).collect()
        } else {
            self.candidates(&tokens, &features, gate, memo)
        };

        let mut best: HashMap<u32, (f64, u32, NameScore)> = HashMap::new();
        for n in candidates {
            let name = &self.names[n as usize];
            let scored = score_name(&features, &name.features);
            let score = scored.score * self.strength_factor(name);
            if score < gate {
                continue;
            }
            match best.entry(name.entity) {
                Entry::Vacant(slot) => {
                    slot.insert((score, n, scored));
                }
                Entry::Occupied(mut slot) => {
                    let (best_score, best_name, _) = *slot.get();
                    if score > best_score || (score == best_score && n < best_name) {
                        slot.insert((score, n, scored));
                    }
                }
            }
        }
        let mut matches: Vec<Match> = best
            .into_iter()
            .filter_map(|(entity, (name_score, n, scored))| {
                let (fields, adjustment) = context.assess(&self.entities[entity as usize]);
                let score = (name_score + adjustment).clamp(0.0, 1.0);
                (score >= threshold).then(|| Match {
                    entity,
                    score,
                    correlation: Correlation::from_score(score),
                    evidence: self.evidence(&tokens, n, name_score, &scored, fields),
                })
            })
            .collect();
        matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entity.cmp(&b.entity))
        });
        matches.truncate(limit);
        matches
    }

    fn strength_factor(&self, name: &IndexedName) -> f64 {
        match name.which {
            0 => 1.0,
            k => match self.entities[name.entity as usize].aliases[k as usize - 1].strength {
                AliasStrength::Strong => 1.0,
                AliasStrength::Weak => WEAK_ALIAS_FACTOR,
            },
        }
    }

    /// The names that can reach `gate`. Every token pair a name can score with a query word is at or above
    /// [`PAIR_FLOOR`] and is found here; a name's score is bounded by what its found pairs explain plus the
    /// most its unexplained side could add, and names whose bound falls below `gate` are dropped.
    fn candidates(
        &self,
        tokens: &[Token],
        query: &NameFeatures,
        gate: f64,
        mut memo: Option<&mut Memo>,
    ) -> Vec<u32> {
        // (name, query token, pair score) for every pair found.
        let mut hits: Vec<(u32, u16, f32)> = Vec::new();
        let cut = query.short_cut();
        for (i, q) in query.tokens.iter().enumerate() {
            if !q.kind.is_searched() || cut == Some(i) {
                continue;
            }
            let looked_up;
            let similar: &[(u32, f64)] = match memo.as_deref_mut() {
                Some(memo) => memo
                    .similar
                    .entry((q.kind, tokens[i].text.clone()))
                    .or_insert_with(|| self.vocabulary.similar(q)),
                None => {
                    looked_up = self.vocabulary.similar(q);
                    &looked_up
                }
            };
            for &(token, score) in similar {
                for &n in &self.vocabulary.postings[token as usize] {
                    hits.push((n, i as u16, score as f32));
                }
            }
            if let Some(names) = self.glued.get(&q.key) {
                hits.extend(names.iter().map(|&n| (n, i as u16, 1.0)));
            }
        }
        for run in &query.glued {
            for kind in TokenKind::ALL {
                let Some(ids) = self.vocabulary.by_key.get(&(kind, run.key.clone())) else {
                    continue;
                };
                for &token in ids {
                    for &n in &self.vocabulary.postings[token as usize] {
                        hits.extend((run.start..run.start + run.len).map(|i| (n, i as u16, 1.0)));
                    }
                }
            }
        }
        hits.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));

        let total: f64 = query.tokens.iter().map(|f| f.weight).sum();
        let unsearched = unsearched_weight(query);
        let mut out = Vec::new();
        let mut at = 0;
        while at < hits.len() {
            let name = hits[at].0;
            let mut explained = unsearched;
            while at < hits.len() && hits[at].0 == name {
                let token = hits[at].1;
                let mut top = 0f32;
                while at < hits.len() && hits[at].0 == name && hits[at].1 == token {
                    top = top.max(hits[at].2);
                    at += 1;
                }
                explained += query.tokens[token as usize].weight * f64::from(top);
            }
            let bound = coverage_bound(explained / total);
            if bound >= gate {
                out.push(name);
            }
        }
        out
    }

    fn evidence(
        &self,
        query: &[Token],
        n: u32,
        name_score: f64,
        scored: &NameScore,
        fields: Vec<FieldEvidence>,
    ) -> Evidence {
        let name = &self.names[n as usize];
        let entity = &self.entities[name.entity as usize];
        let (matched_name, name_source) = match name.which {
            0 => (entity.name.clone(), NameSource::Primary),
            k => {
                let alias = &entity.aliases[k as usize - 1];
                (
                    alias.name.clone(),
                    NameSource::Alias {
                        index: k - 1,
                        alias_type: alias.alias_type,
                        strength: alias.strength,
                    },
                )
            }
        };
        // A run of tokens covers its leftmost start to its rightmost end: reordering ("Rahman, Abdul")
        // can put a run's later token first in the name.
        let join = |tokens: &[Token], at: &std::ops::Range<usize>| {
            let run = &tokens[at.clone()];
            (
                run.iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                (
                    run.iter().map(|t| t.span.0).min().unwrap_or_default(),
                    run.iter().map(|t| t.span.1).max().unwrap_or_default(),
                ),
            )
        };
        let tokens = scored
            .pairs
            .iter()
            .map(|pair| {
                let (query_token, query_span) = join(query, &pair.query);
                let (list_token, list_span) = join(&name.tokens, &pair.name);
                TokenEvidence {
                    query_token,
                    list_token,
                    query_span,
                    list_span,
                    score: pair.score,
                    kind: pair.kind,
                }
            })
            .collect();
        let unmatched = |side: &[Token], used: &dyn Fn(usize) -> bool| {
            side.iter()
                .enumerate()
                .filter(|(k, _)| !used(*k))
                .map(|(_, t)| t.text.clone())
                .collect()
        };
        let mut all_fields = vec![FieldEvidence {
            field: Field::Name,
            matched: true,
            adjustment: 0.0,
        }];
        all_fields.extend(fields);
        Evidence {
            matched_name,
            name_source,
            name_score,
            query_coverage: scored.query_coverage,
            name_coverage: scored.name_coverage,
            unmatched_query_tokens: unmatched(query, &|k| {
                scored.pairs.iter().any(|p| p.query.contains(&k))
            }),
            unmatched_list_tokens: unmatched(&name.tokens, &|k| {
                scored.pairs.iter().any(|p| p.name.contains(&k))
            }),
            tokens,
            fields: all_fields,
        }
    }
}

/// The most a name can score when the pairs explain `query_coverage` of the query: its own side can at
/// most be fully explained.
fn coverage_bound(query_coverage: f64) -> f64 {
    QUERY_SIDE * query_coverage + (1.0 - QUERY_SIDE) + 1e-6
}

/// The weight of query tokens the candidate search does not look up (initials, particles, legal forms and
/// generic words, whose pairs would match too many names to list, and two letters that may be a word cut
/// short); the bound assumes they pair perfectly.
fn unsearched_weight(query: &NameFeatures) -> f64 {
    let cut = query.short_cut();
    query
        .tokens
        .iter()
        .enumerate()
        .filter(|(i, f)| !f.kind.is_searched() || cut == Some(*i))
        .map(|(_, f)| f.weight)
        .sum()
}

/// The most a name that no searched token found can score; when it reaches the gate, only a full scan is
/// exact.
fn unsearched_bound(query: &NameFeatures) -> f64 {
    let total: f64 = query.tokens.iter().map(|f| f.weight).sum();
    coverage_bound(unsearched_weight(query) / total)
}

impl Vocabulary {
    fn add(&mut self, spelling: &str, feature: &Features) -> u32 {
        let id = self.features.len() as u32;
        self.ids.insert((feature.kind, spelling.to_owned()), id);
        self.by_key
            .entry((feature.kind, feature.key.clone()))
            .or_default()
            .push(id);
        let exact_only = matches!(feature.kind, TokenKind::LegalForm | TokenKind::Particle);
        if exact_only {
            // Legal forms and particles pair only by exact key, never by sound.
        } else if feature.phonetic.len() >= 3 {
            self.by_phonetic
                .entry(feature.phonetic.clone())
                .or_default()
                .push(id);
        }
        if !exact_only && feature.skeleton.chars().nth(1).is_some() {
            self.by_skeleton
                .entry(feature.skeleton.clone())
                .or_default()
                .push(id);
        }
        if let Some(group) = feature.equivalence {
            let group = group as usize;
            if self.by_equivalence.len() <= group {
                self.by_equivalence.resize(group + 1, Vec::new());
            }
            self.by_equivalence[group].push(id);
        }
        if feature.kind == TokenKind::Initial
            && let Some(c) = feature.key.chars().next()
        {
            self.initials.insert(c, id);
        }
        self.features.push(feature.clone());
        self.postings.push(Vec::new());
        id
    }

    fn finish(&mut self) {
        let mut sorted: Vec<u32> = (0..self.features.len() as u32).collect();
        sorted.sort_by(|&a, &b| {
            self.features[a as usize]
                .key
                .cmp(&self.features[b as usize].key)
        });
        self.sorted = sorted;
        self.scan = Scan::of(&self.features);
    }

    /// Every vocabulary token whose similarity to `q` reaches [`PAIR_FLOOR`], with that similarity.
    fn similar(&self, q: &Features) -> Vec<(u32, f64)> {
        let mut candidates: Vec<u32> = Vec::new();
        for kind in [
            TokenKind::Word,
            TokenKind::Particle,
            TokenKind::Generic,
            TokenKind::Syllable,
        ] {
            if let Some(ids) = self.by_key.get(&(kind, q.key.clone())) {
                candidates.extend(ids);
            }
        }
        if let Some(ids) = self.by_phonetic.get(&q.phonetic) {
            candidates.extend(ids);
        }
        if let Some(ids) = self.by_skeleton.get(&q.skeleton) {
            candidates.extend(ids);
        }
        if let Some(ids) = q
            .equivalence
            .and_then(|g| self.by_equivalence.get(g as usize))
        {
            candidates.extend(ids);
        }
        if let Some(&id) = q.key.chars().next().and_then(|c| self.initials.get(&c)) {
            candidates.push(id);
        }
        // Longer tokens that start with the query token (a truncated word).
        let start = self
            .sorted
            .partition_point(|&id| self.features[id as usize].key.as_str() < q.key.as_str());
        candidates.extend(
            self.sorted[start..]
                .iter()
                .take_while(|&&id| self.features[id as usize].key.starts_with(q.key.as_str())),
        );
        self.scan.reachable(q, PAIR_FLOOR, &mut candidates);
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|id| token_similarity(q, &self.features[id as usize]).map(|(s, _)| (id, s)))
            .collect()
    }
}
