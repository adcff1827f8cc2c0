//! `clearance eval`: measures matching quality on the shared evaluation sets, always as recall together
//! with the false-positive rate at one stated threshold.

use std::collections::BTreeMap;
use std::path::Path;

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
}

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
        perturbations(
            &options.eval_dir.join("perturbations-sdn-2022-01-31.json"),
            &thresholds,
            options.sweep,
            misses,
        )?;
    }
    if wanted(EvalSet::Negatives) {
        negatives(
            &options.eval_dir.join("negatives-us.csv"),
            &[
                options.lists_dir.join("ofac-sdn-2024-05-03"),
                options.lists_dir.join("ofac-alt-add-2026-06-02"),
            ],
            &thresholds,
            misses,
        )?;
    }
    Ok(())
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
struct PerturbationSet {
    candidates: BTreeMap<String, Vec<String>>,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    expected_entity_id: Option<String>,
    perturbation: String,
}

fn perturbations(
    path: &Path,
    thresholds: &[f64],
    by_threshold: bool,
    misses: Option<f64>,
) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let set: PerturbationSet =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let entities: Vec<Entity> = set
        .candidates
        .iter()
        .filter_map(|(id, names)| {
            let (primary, aliases) = names.split_first()?;
            let mut entity = Entity::new(
                ListId::OfacSdn,
                id.clone(),
                EntityKind::Individual,
                primary.clone(),
            );
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
    // The best candidate of each case, found once at threshold 0 and judged at every threshold.
    let best: Vec<Option<(String, f64)>> = set
        .cases
        .iter()
        .map(|case| {
            index
                .search(&Query::name(case.query.clone()), 0.0, 1)
                .first()
                .map(|m| {
                    (
                        index.entities()[m.entity as usize].source_id.clone(),
                        m.score,
                    )
                })
        })
        .collect();
    let mut classes: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, case) in set.cases.iter().enumerate() {
        if case.expected_entity_id.is_some() {
            classes
                .entry(case.perturbation.as_str())
                .or_default()
                .push(i);
        }
    }
    let negatives: Vec<usize> = (0..set.cases.len())
        .filter(|&i| set.cases[i].expected_entity_id.is_none())
        .collect();
    let hit = |i: usize, t: f64| match (&best[i], &set.cases[i].expected_entity_id) {
        (Some((id, score)), Some(expected)) => id == expected && *score >= t,
        _ => false,
    };
    let alert = |i: usize, t: f64| best[i].as_ref().is_some_and(|(_, s)| *s >= t);
    let positives: Vec<usize> = classes.values().flatten().copied().collect();
    if let Some(t) = misses {
        for (i, case) in set.cases.iter().enumerate() {
            let wrong = if case.expected_entity_id.is_some() {
                !hit(i, t)
            } else {
                alert(i, t)
            };
            if wrong {
                let found = best[i].as_ref().map(|(id, s)| {
                    let entity = index.entities().iter().find(|e| &e.source_id == id);
                    format!("{s:.3} {id} {:?}", entity.map_or("", |e| e.name.as_str()))
                });
                println!(
                    "{} {:?} -> {}",
                    case.perturbation,
                    case.query,
                    found.unwrap_or_default()
                );
            }
        }
    }
    println!(
        "## perturbations-sdn-2022-01-31.json ({} positives, {} negatives): best candidate of 200 entities\n",
        positives.len(),
        negatives.len()
    );
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
    Ok(())
}

#[derive(Deserialize)]
struct Person {
    full_name: String,
    date_of_birth: String,
    nationality: String,
}

fn negatives(
    path: &Path,
    dirs: &[std::path::PathBuf],
    thresholds: &[f64],
    misses: Option<f64>,
) -> anyhow::Result<()> {
    let (snapshot, _) = crate::lists::load(dirs)?;
    let index = Index::build(snapshot.entities);
    let mut reader =
        csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let people: Vec<Person> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", path.display()))?;
    let lowest = thresholds.iter().copied().fold(f64::MAX, f64::min);
    let best = |with_fields: bool| -> Vec<f64> {
        let work = |chunk: &[Person]| -> Vec<f64> {
            chunk
                .iter()
                .map(|p| {
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
                })
                .collect()
        };
        let half = people.len() / 2;
        std::thread::scope(|s| {
            let first = s.spawn(|| work(&people[..half]));
            let mut out = work(&people[half..]);
            let mut all = first.join().expect("the evaluation thread does not panic");
            all.append(&mut out);
            all
        })
    };
    let name_only = best(false);
    if let Some(t) = misses {
        for (person, score) in people.iter().zip(&name_only).filter(|(_, s)| **s >= t) {
            let found = index.search(&Query::name(person.full_name.clone()), t, 1);
            if let Some(m) = found.first() {
                println!(
                    "false positive at {t:.2}: {score:.3} {:?} ~ {:?} ({})",
                    person.full_name,
                    m.evidence.matched_name,
                    index.entities()[m.entity as usize].name
                );
            }
        }
    }
    let with_fields = best(true);
    println!(
        "## negatives-us.csv ({} people) against {} entities, {} names (2024 SDN with the 2026 aliases)\n",
        people.len(),
        index.entities().len(),
        index.name_count()
    );
    println!(
        "| threshold | false positives, name only | rate | false positives, with date of birth, nationality, type | rate |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for &t in thresholds {
        let a = name_only.iter().filter(|&&s| s >= t).count();
        let b = with_fields.iter().filter(|&&s| s >= t).count();
        println!(
            "| {t:.2} | {a} | {:.3}% | {b} | {:.3}% |",
            100.0 * ratio(a, people.len()),
            100.0 * ratio(b, people.len())
        );
    }
    println!();
    Ok(())
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
