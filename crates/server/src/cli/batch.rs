//! `clearance screen`: screens a file of names against the lists and writes one JSON object per input.

use std::io::{BufRead, Write};

use anyhow::{Context, bail};
use clearance_screening::{EntityKind, Index, Match, Query};
use serde::{Deserialize, Serialize};

/// One input row, from a CSV with a header row or from a JSON line.
#[derive(Debug, Default, Deserialize)]
pub struct Input {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub dob: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// One output line.
#[derive(Debug, Serialize)]
pub struct Output<'a> {
    pub id: Option<&'a str>,
    pub query: &'a str,
    pub matches: Vec<MatchOut<'a>>,
}

/// A match as the command prints it: the list's own id and names first, then the evidence.
#[derive(Debug, Serialize)]
pub struct MatchOut<'a> {
    pub list: &'static str,
    pub entity_id: &'a str,
    pub entity_name: &'a str,
    pub entity_type: EntityKind,
    pub matched_name: &'a str,
    pub score: f64,
    pub correlation: &'static str,
    pub programs: &'a [String],
    pub evidence: &'a clearance_screening::index::Evidence,
}

impl<'a> MatchOut<'a> {
    pub fn new(index: &'a Index, m: &'a Match) -> Self {
        let entity = &index.entities()[m.entity as usize];
        Self {
            list: entity.list.name(),
            entity_id: &entity.source_id,
            entity_name: &entity.name,
            entity_type: entity.kind,
            matched_name: &m.evidence.matched_name,
            score: (m.score * 10_000.0).round() / 10_000.0,
            correlation: m.correlation.as_str(),
            programs: &entity.programs,
            evidence: &m.evidence,
        }
    }
}

impl Input {
    pub fn query(&self) -> Result<Query, String> {
        let kind = match self
            .kind
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            Some(word) => Some(EntityKind::parse(word).ok_or_else(|| {
                format!("type {word:?} is not one of individual, organization, vessel, aircraft")
            })?),
            None => None,
        };
        Ok(Query {
            name: self.name.clone(),
            date_of_birth: self.dob.clone().filter(|d| !d.trim().is_empty()),
            country: self.country.clone().filter(|c| !c.trim().is_empty()),
            kind,
        })
    }
}

/// Reads the inputs: JSON lines when the first non-blank character is `{`, else CSV with a header row.
pub fn read_inputs(text: &str, source: &str) -> anyhow::Result<Vec<Input>> {
    if text.trim_start().starts_with('{') {
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(n, line)| {
                serde_json::from_str(line).with_context(|| format!("{source} line {}", n + 1))
            })
            .collect()
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .with_context(|| format!("{source}: header row"))?
            .clone();
        if !headers.iter().any(|h| h == "name") {
            bail!(
                "{source}: the header row has no `name` column (it has: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            );
        }
        reader
            .deserialize()
            .enumerate()
            .map(|(n, row)| row.with_context(|| format!("{source} line {}", n + 2)))
            .collect()
    }
}

/// Screens every input and writes the JSON lines to `out`; returns (inputs, inputs with a match, matches).
pub fn screen(
    index: &Index,
    inputs: &[Input],
    threshold: f64,
    top: usize,
    out: &mut impl Write,
    progress: &indicatif::ProgressBar,
) -> anyhow::Result<(usize, usize, usize)> {
    let (mut flagged, mut total_matches) = (0, 0);
    for (n, input) in inputs.iter().enumerate() {
        let query = input
            .query()
            .map_err(|e| anyhow::anyhow!("input {}: {e}", n + 1))?;
        let matches = index.search(&query, threshold, top);
        flagged += usize::from(!matches.is_empty());
        total_matches += matches.len();
        let line = Output {
            id: input.id.as_deref(),
            query: &input.name,
            matches: matches.iter().map(|m| MatchOut::new(index, m)).collect(),
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
        progress.inc(1);
    }
    out.flush()?;
    Ok((inputs.len(), flagged, total_matches))
}

/// Reads INPUT, or standard input for `-`.
pub fn read_source(path: &std::path::Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        for line in std::io::stdin().lock().lines() {
            text.push_str(&line?);
            text.push('\n');
        }
        Ok(text)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
    }
}
