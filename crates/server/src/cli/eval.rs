//! `clearance eval`: measures matching quality on the shared evaluation sets, always as recall together
//! with the false-positive rate at one stated threshold.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clearance_screening::model::{Alias, AliasStrength, AliasType};
use clearance_screening::normalize::normalize;
use clearance_screening::score::{NameFeatures, score_name};
use clearance_screening::{Entity, EntityKind, Index, ListId, Query};
use serde::Deserialize;

/// Thresholds printed by `--sweep`, to show how recall trades against false positives.
const SWEEP: [f64; 9] = [0.76, 0.78, 0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92];

pub struct Options<'a> {
    pub eval_dir: &'a Path,
    /// Clearance's own held-out sets (`eval/heldout`).
    pub heldout_dir: &'a Path,
    /// Which half of the held-out sets to score.
    pub half: Half,
    pub lists_dir: &'a Path,
    pub threshold: f64,
    pub sweep: bool,
    /// Print the name pairs judged wrongly at the threshold.
    pub misses: bool,
    /// Which sets to run; all when empty.
    pub sets: &'a [EvalSet],
}

/// The evaluation sets, for running one at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalSet {
    NamePairs,
    Perturbations,
    Negatives,
    /// The held-out perturbations of the UN, consolidated and 2024 SDN lists.
    HeldoutPerturbations,
    /// The held-out multi-script negatives.
    HeldoutNegatives,
    /// The held-out negatives of Latin-script populations, against the lists negatives-us is.
    HeldoutLatinNegatives,
}

/// The halves of every held-out set: matching changes are tuned on one and reported on the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Half {
    Tune,
    Report,
}

impl Half {
    fn as_str(self) -> &'static str {
        match self {
            Self::Tune => "tune",
            Self::Report => "report",
        }
    }
}

/// The held-out perturbation sets, each named for the list it perturbs.
const HELDOUT_PERTURBATIONS: [&str; 3] = [
    "perturbations-un-2026-02-27.json",
    "perturbations-cons-2025-12-19.json",
    "perturbations-sdn-2024-05-03.json",
];

pub fn run(options: &Options<'_>) -> anyhow::Result<()> {
    let thresholds: Vec<f64> = if options.sweep {
        SWEEP.to_vec()
    } else {
        vec![options.threshold]
    };
    let misses = options.misses.then_some(options.threshold);
    let wanted = |set| options.sets.is_empty() || options.sets.contains(&set);
    if wanted(EvalSet::NamePairs) {
        name_pairs(
            &options.eval_dir.join("name-pairs.csv"),
            &thresholds,
            misses,
        )?;
    }
    if wanted(EvalSet::Perturbations) {
        let path = options.eval_dir.join("perturbations-sdn-2022-01-31.json");
        let set = PerturbationSet::read(&path, None)?;
        perturbations(
            &set,
            &format!(
                "perturbations-sdn-2022-01-31.json ({} positives, {} negatives): best candidate of {} entities",
                set.positives(),
                set.negatives(),
                set.candidates.len()
            ),
            &thresholds,
            options.sweep,
            misses,
        );
    }
    if wanted(EvalSet::Negatives) {
        let people = read_people(&options.eval_dir.join("negatives-us.csv"))?;
        let index = index_of(&sdn_2024(options))?;
        negatives(
            &people,
            &index,
            &format!(
                "negatives-us.csv ({} people) against {} entities, {} names (2024 SDN with the 2026 aliases)",
                people.len(),
                index.entities().len(),
                index.name_count()
            ),
            &thresholds,
            misses,
        );
    }
    if wanted(EvalSet::HeldoutPerturbations) {
        heldout_perturbations(options, &thresholds, misses)?;
    }
    if wanted(EvalSet::HeldoutNegatives) {
        heldout_negatives(options, &thresholds, misses)?;
    }
    if wanted(EvalSet::HeldoutLatinNegatives) {
        let half = options.half;
        let people = read_half(&options.heldout_dir.join("negatives-latin.csv"), half)?;
        let index = index_of(&sdn_2024(options))?;
        negatives(
            &people,
            &index,
            &format!(
                "held-out negatives-latin.csv, {} half ({} people) against {} entities, {} names (2024 SDN with the 2026 aliases, as negatives-us)",
                half.as_str(),
                people.len(),
                index.entities().len(),
                index.name_count()
            ),
            &thresholds,
            misses,
        );
    }
    Ok(())
}

/// The lists the shared negatives-us set is scored against: the 2024 SDN list with the 2026 aliases.
fn sdn_2024(options: &Options<'_>) -> [PathBuf; 2] {
    [
        options.lists_dir.join("ofac-sdn-2024-05-03"),
        options.lists_dir.join("ofac-alt-add-2026-06-02"),
    ]
}

/// Every held-out perturbation set's half, one by one, then all three together and by the query's script.
fn heldout_perturbations(
    options: &Options<'_>,
    thresholds: &[f64],
    misses: Option<f64>,
) -> anyhow::Result<()> {
    let half = options.half;
    let mut all: Vec<Scored> = Vec::new();
    for file in HELDOUT_PERTURBATIONS {
        let set = PerturbationSet::read(&options.heldout_dir.join(file), Some(half))?;
        perturbations(
            &set,
            &format!(
                "held-out {file}, {} half ({} positives, {} negatives): best candidate of {} entities",
                half.as_str(),
                set.positives(),
                set.negatives(),
                set.candidates.len()
            ),
            thresholds,
            options.sweep,
            misses,
        );
        all.extend(set.scored);
    }
    let t = options.threshold;
    let (positives, negatives): (Vec<&Scored>, Vec<&Scored>) =
        all.iter().partition(|c| c.expected.is_some());
    println!(
        "## held-out perturbations, all three sets, {} half, at {t:.2} (each case against its own set's pool)\n",
        half.as_str()
    );
    println!("| cases | count | rate |");
    println!("|---|---:|---:|");
    println!(
        "| **all positives (recall)** | {} | **{:.3}** |",
        positives.len(),
        ratio(
            positives.iter().filter(|c| c.hit(t)).count(),
            positives.len()
        )
    );
    println!(
        "| **negatives (false-positive rate)** | {} | **{:.3}** |",
        negatives.len(),
        ratio(
            negatives.iter().filter(|c| c.alert(t)).count(),
            negatives.len()
        )
    );
    println!();
    let mut by_class: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_script: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for case in &positives {
        for (map, key) in [
            (&mut by_class, case.class.as_str()),
            (&mut by_script, script_of(&case.query)),
        ] {
            let entry = map.entry(key).or_default();
            entry.0 += 1;
            entry.1 += usize::from(case.hit(t));
        }
    }
    for (what, map) in [("class", by_class), ("query script", by_script)] {
        println!("| {what} | positives | recall @ {t:.2} |");
        println!("|---|---:|---:|");
        for (key, (cases, hits)) in map {
            println!("| {key} | {cases} | {:.3} |", ratio(hits, cases));
        }
        println!();
    }
    Ok(())
}

/// The held-out multi-script negatives against the UN list (as the independent evaluation screened
/// them) and against the default lists, in total and by script.
fn heldout_negatives(
    options: &Options<'_>,
    thresholds: &[f64],
    misses: Option<f64>,
) -> anyhow::Result<()> {
    let half = options.half;
    let people = read_half(&options.heldout_dir.join("negatives-multiscript.csv"), half)?;
    let against: [(&str, &[&str]); 2] = [
        ("the UN list", &["un-consolidated-2026-02-27"]),
        (
            "the default lists",
            &[
                "ofac-sdn-2024-05-03",
                "ofac-alt-add-2026-06-02",
                "ofac-consolidated-2025-12-19",
                "un-consolidated-2026-02-27",
            ],
        ),
    ];
    let t = options.threshold;
    for (label, dirs) in against {
        let dirs: Vec<PathBuf> = dirs.iter().map(|d| options.lists_dir.join(d)).collect();
        let index = index_of(&dirs)?;
        let scores = negatives(
            &people,
            &index,
            &format!(
                "held-out negatives-multiscript.csv, {} half ({} people) against {label}: {} entities, {} names",
                half.as_str(),
                people.len(),
                index.entities().len(),
                index.name_count()
            ),
            thresholds,
            misses,
        );
        let mut by_script: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
        for (person, (name_only, with_fields)) in people.iter().zip(&scores) {
            let entry = by_script.entry(script_of(&person.full_name)).or_default();
            entry.0 += 1;
            entry.1 += usize::from(*name_only >= t);
            entry.2 += usize::from(*with_fields >= t);
        }
        println!(
            "| script | people | false positives @ {t:.2}, name only | with date of birth, nationality, type |"
        );
        println!("|---|---:|---:|---:|");
        for (script, (count, name_only, with_fields)) in by_script {
            println!("| {script} | {count} | {name_only} | {with_fields} |");
        }
        println!();
    }
    Ok(())
}

/// The script most of a name's letters are written in, for the per-script tables; any kana makes a name
/// Japanese, which mixes kana and Han.
fn script_of(name: &str) -> &'static str {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for c in name.chars().filter(|c| c.is_alphabetic()) {
        let script = match u32::from(c) {
            0x0000..=0x024F | 0x1E00..=0x1EFF => "Latin",
            0x0370..=0x03FF | 0x1F00..=0x1FFF => "Greek",
            0x0400..=0x052F => "Cyrillic",
            0x0530..=0x058F => "Armenian",
            0x0590..=0x05FF => "Hebrew",
            0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFEFF => "Arabic",
            0x0900..=0x097F => "Devanagari",
            0x0980..=0x09FF => "Bengali",
            0x0A80..=0x0AFF => "Gujarati",
            0x0B00..=0x0B7F => "Oriya",
            0x0B80..=0x0BFF => "Tamil",
            0x0D80..=0x0DFF => "Sinhala",
            0x0E00..=0x0E7F => "Thai",
            0x10A0..=0x10FF => "Georgian",
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => "Hangul",
            0x1200..=0x139F => "Ethiopic",
            0x3040..=0x30FF => "Kana",
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => "Han",
            _ => "other",
        };
        *counts.entry(script).or_default() += 1;
    }
    if counts.contains_key("Kana") {
        return "Kana";
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map_or("none", |(script, _)| script)
}

fn index_of(dirs: &[PathBuf]) -> anyhow::Result<Index> {
    let (snapshot, _) = crate::lists::load(dirs)?;
    Ok(Index::build(snapshot.entities))
}

#[derive(Deserialize)]
struct Pair {
    name1: String,
    name2: String,
    is_match: String,
}

fn name_pairs(path: &Path, thresholds: &[f64], misses: Option<f64>) -> anyhow::Result<()> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let mut scored = Vec::new();
    for row in reader.deserialize() {
        let pair: Pair = row.with_context(|| format!("reading {}", path.display()))?;
        let a = NameFeatures::of(&normalize(&pair.name1));
        let b = NameFeatures::of(&normalize(&pair.name2));
        // A pair has no direction (neither name is the list's), so it scores as its better direction.
        let score = score_name(&a, &b).score.max(score_name(&b, &a).score);
        let is_match = pair.is_match.eq_ignore_ascii_case("true");
        if let Some(t) = misses.filter(|t| (score >= *t) != is_match) {
            let verdict = if is_match {
                "missed match"
            } else {
                "false positive"
            };
            println!(
                "{verdict} at {t:.2}: {score:.3} {:?} ~ {:?}",
                pair.name1, pair.name2
            );
        }
        scored.push((score, is_match));
    }
    println!(
        "## name-pairs.csv ({} pairs): each pair scored in its better direction\n",
        scored.len()
    );
    println!("| threshold | precision | recall | F1 | TP | FP | FN | TN |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &t in thresholds {
        let count = |want_hit: bool, want_match: bool| {
            scored
                .iter()
                .filter(|(s, m)| (*s >= t) == want_hit && *m == want_match)
                .count()
        };
        let (tp, fp, fn_, tn) = (
            count(true, true),
            count(true, false),
            count(false, true),
            count(false, false),
        );
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        println!(
            "| {t:.2} | {precision:.3} | {recall:.3} | {f1:.3} | {tp} | {fp} | {fn_} | {tn} |"
        );
    }
    println!();
    Ok(())
}

#[derive(Deserialize)]
struct PerturbationFile {
    candidates: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    kinds: BTreeMap<String, EntityKind>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    expected_entity_id: Option<String>,
    perturbation: String,
    /// `tune` or `report` in the held-out sets; the shared set has no halves.
    split: Option<String>,
}

/// A perturbation set with every case's best candidate, found once at threshold 0 and judged at every
/// threshold.
struct PerturbationSet {
    candidates: BTreeMap<String, Vec<String>>,
    scored: Vec<Scored>,
}

struct Scored {
    query: String,
    class: String,
    expected: Option<String>,
    /// The best candidate's id, name and score.
    best: Option<(String, String, f64)>,
}

impl Scored {
    fn hit(&self, t: f64) -> bool {
        match (&self.best, &self.expected) {
            (Some((id, _, score)), Some(expected)) => id == expected && *score >= t,
            _ => false,
        }
    }

    fn alert(&self, t: f64) -> bool {
        self.best.as_ref().is_some_and(|(_, _, s)| *s >= t)
    }
}

impl PerturbationSet {
    /// Reads a set (only `half`'s cases when given) and scores every case against its candidate pool.
    fn read(path: &Path, half: Option<Half>) -> anyhow::Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let file: PerturbationFile =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
        let entities: Vec<Entity> = file
            .candidates
            .iter()
            .filter_map(|(id, names)| {
                let (primary, aliases) = names.split_first()?;
                let kind = file
                    .kinds
                    .get(id)
                    .copied()
                    .unwrap_or(EntityKind::Individual);
                let mut entity = Entity::new(ListId::OfacSdn, id.clone(), kind, primary.clone());
                entity.aliases = aliases
                    .iter()
                    .map(|name| Alias {
                        name: name.clone(),
                        alias_type: AliasType::Aka,
                        strength: AliasStrength::Strong,
                    })
                    .collect();
                Some(entity)
            })
            .collect();
        let index = Index::build(entities);
        let cases: Vec<Case> = file
            .cases
            .into_iter()
            .filter(|c| half.is_none_or(|h| c.split.as_deref() == Some(h.as_str())))
            .collect();
        let scored = on_both_cores(&cases, |case| {
            let best = index
                .search(&Query::name(case.query.clone()), 0.0, 1)
                .first()
                .map(|m| {
                    let entity = &index.entities()[m.entity as usize];
                    (entity.source_id.clone(), entity.name.clone(), m.score)
                });
            Scored {
                query: case.query.clone(),
                class: case.perturbation.clone(),
                expected: case.expected_entity_id.clone(),
                best,
            }
        });
        Ok(Self {
            candidates: file.candidates,
            scored,
        })
    }

    fn positives(&self) -> usize {
        self.scored.iter().filter(|c| c.expected.is_some()).count()
    }

    fn negatives(&self) -> usize {
        self.scored.len() - self.positives()
    }
}

/// `work` over `items` on two threads, in order.
fn on_both_cores<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let half = items.len() / 2;
    std::thread::scope(|s| {
        let first = s.spawn(|| items[..half].iter().map(&work).collect::<Vec<_>>());
        let mut rest: Vec<R> = items[half..].iter().map(&work).collect();
        let mut all = first.join().expect("the evaluation thread does not panic");
        all.append(&mut rest);
        all
    })
}

fn perturbations(
    set: &PerturbationSet,
    title: &str,
    thresholds: &[f64],
    by_threshold: bool,
    misses: Option<f64>,
) {
    let cases = &set.scored;
    let mut classes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, case) in cases.iter().enumerate() {
        if case.expected.is_some() {
            classes.entry(case.class.as_str()).or_default().push(i);
        }
    }
    let negatives: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].expected.is_none())
        .collect();
    let hit = |i: usize, t: f64| cases[i].hit(t);
    let alert = |i: usize, t: f64| cases[i].alert(t);
    let positives: Vec<usize> = classes.values().flatten().copied().collect();
    if let Some(t) = misses {
        for case in cases {
            let wrong = if case.expected.is_some() {
                !case.hit(t)
            } else {
                case.alert(t)
            };
            if wrong {
                let found = case
                    .best
                    .as_ref()
                    .map(|(id, name, s)| format!("{s:.3} {id} {name:?}"));
                println!(
                    "{} {:?} -> {}",
                    case.class,
                    case.query,
                    found.unwrap_or_default()
                );
            }
        }
    }
    println!("## {title}\n");
    let shown: &[f64] = if by_threshold {
        thresholds
    } else {
        &thresholds[..1]
    };
    print!("| class | cases |");
    shown.iter().for_each(|t| print!(" recall @ {t:.2} |"));
    println!();
    print!("|---|---:|");
    shown.iter().for_each(|_| print!("---:|"));
    println!();
    for (class, cases) in &classes {
        print_row(class, cases, shown, &hit, false);
    }
    print_row("all positives (recall)", &positives, shown, &hit, true);
    print_row(
        "negatives (false-positive rate)",
        &negatives,
        shown,
        &alert,
        true,
    );
    println!();
}

#[derive(Deserialize)]
struct Person {
    full_name: String,
    date_of_birth: String,
    nationality: String,
    /// `tune` or `report` in the held-out set; the shared set has no halves.
    #[serde(default)]
    split: Option<String>,
}

fn read_people(path: &Path) -> anyhow::Result<Vec<Person>> {
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    reader
        .deserialize()
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", path.display()))
}

/// The people of one half of a held-out negatives set.
fn read_half(path: &Path, half: Half) -> anyhow::Result<Vec<Person>> {
    Ok(read_people(path)?
        .into_iter()
        .filter(|p| p.split.as_deref() == Some(half.as_str()))
        .collect())
}

/// Screens every person by name alone and with their date of birth, nationality and type, prints the
/// false positives at each threshold, and returns each person's two best scores.
fn negatives(
    people: &[Person],
    index: &Index,
    title: &str,
    thresholds: &[f64],
    misses: Option<f64>,
) -> Vec<(f64, f64)> {
    let lowest = thresholds.iter().copied().fold(f64::MAX, f64::min);
    let best = |p: &Person, with_fields: bool| {
        let mut query = Query::name(p.full_name.clone());
        if with_fields {
            query.date_of_birth = Some(p.date_of_birth.clone());
            query.country = Some(p.nationality.clone());
            query.kind = Some(EntityKind::Individual);
        }
        index
            .search(&query, lowest, 1)
            .first()
            .map_or(0.0, |m| m.score)
    };
    let scores = on_both_cores(people, |p| (best(p, false), best(p, true)));
    if let Some(t) = misses {
        for (person, (score, with_fields)) in people.iter().zip(&scores).filter(|(_, s)| s.0 >= t) {
            let found = index.search(&Query::name(person.full_name.clone()), t, 1);
            let also = if *with_fields >= t {
                "with the other fields too"
            } else {
                "by name"
            };
            if let Some(m) = found.first() {
                println!(
                    "false positive {also} at {t:.2}: {score:.3} {:?} ~ {:?} ({})",
                    person.full_name,
                    m.evidence.matched_name,
                    index.entities()[m.entity as usize].name
                );
            }
        }
    }
    println!("## {title}\n");
    println!(
        "| threshold | false positives, name only | rate | false positives, with date of birth, nationality, type | rate |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for &t in thresholds {
        let a = scores.iter().filter(|s| s.0 >= t).count();
        let b = scores.iter().filter(|s| s.1 >= t).count();
        println!(
            "| {t:.2} | {a} | {:.3}% | {b} | {:.3}% |",
            100.0 * ratio(a, people.len()),
            100.0 * ratio(b, people.len())
        );
    }
    println!();
    scores
}

/// One table row: the share of `cases` that `judge` accepts at each threshold.
fn print_row(
    label: &str,
    cases: &[usize],
    thresholds: &[f64],
    judge: &dyn Fn(usize, f64) -> bool,
    bold: bool,
) {
    let mark = if bold { "**" } else { "" };
    print!("| {mark}{label}{mark} | {} |", cases.len());
    for &t in thresholds {
        let share = ratio(cases.iter().filter(|&&i| judge(i, t)).count(), cases.len());
        print!(" {mark}{share:.3}{mark} |");
    }
    println!();
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
