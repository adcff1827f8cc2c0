//! Loading list files into entities. Everything here takes bytes the caller read, so the crate stays free of
//! I/O and runs in the browser.

mod csv;
mod ofac;
mod remarks;
mod un;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Entity, ListId};

/// A list file as the caller read it. `name` is how errors refer to the file (a path is fine); its last
/// component decides what the file holds (`sdn.csv`, `alt.csv`, `cons_prim.csv`, `*.xml`, ...).
#[derive(Clone, Copy, Debug)]
pub struct ListFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// Why a list could not be loaded: always names the file, the line and the field, so whoever maintains the
/// list feed can fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListError {
    pub file: String,
    pub line: usize,
    pub field: String,
    pub message: String,
}

impl ListError {
    pub(crate) fn at(file: &str, line: usize, field: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} line {}, field {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

impl std::error::Error for ListError {}

/// What loading did beyond the entities: rows that referred to entities the set does not contain are counted
/// and skipped (a newer alt.csv beside an older sdn.csv), never fatal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadReport {
    pub entities: usize,
    pub aliases: usize,
    pub addresses: usize,
    pub skipped_aliases: usize,
    pub skipped_addresses: usize,
    pub skipped_comments: usize,
    /// Entries whose id repeats an earlier entry's; kept, and counted here for the list's maintainer.
    pub duplicate_ids: usize,
    /// Files whose names say nothing we read (a README, say).
    pub ignored_files: Vec<String>,
}

/// A loaded set of lists and its identity: who published it, as of when, and a hash of the exact bytes, so
/// every screening result can be traced to the data behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub entities: Vec<Entity>,
    pub lists: Vec<ListId>,
    pub publisher: String,
    /// `YYYY-MM-DD`: the caller's date for CSV files (OFAC's carry none), else the UN file's own.
    pub date: Option<String>,
    /// SHA-256 of the files, in name order, hex.
    pub content_hash: String,
    pub report: LoadReport,
}

impl Snapshot {
    /// Loads every file given, in any mix of lists. `date` is the snapshot's date when the caller knows it.
    pub fn load(files: &[ListFile<'_>], date: Option<&str>) -> Result<Self, ListError> {
        let mut ofac: BTreeMap<ListId, ofac::Files<'_>> = BTreeMap::new();
        let mut un_files = Vec::new();
        let mut report = LoadReport::default();
        for file in files {
            let base = file
                .name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or(file.name)
                .to_ascii_lowercase();
            let (list, role) = match base.as_str() {
                "sdn.csv" => (ListId::OfacSdn, ofac::Role::Primary),
                "alt.csv" => (ListId::OfacSdn, ofac::Role::Aliases),
                "add.csv" => (ListId::OfacSdn, ofac::Role::Addresses),
                "sdn_comments.csv" => (ListId::OfacSdn, ofac::Role::Comments),
                "cons_prim.csv" => (ListId::OfacConsolidated, ofac::Role::Primary),
                "cons_alt.csv" => (ListId::OfacConsolidated, ofac::Role::Aliases),
                "cons_add.csv" => (ListId::OfacConsolidated, ofac::Role::Addresses),
                "cons_comments.csv" => (ListId::OfacConsolidated, ofac::Role::Comments),
                _ if base.ends_with(".xml") => {
                    un_files.push(*file);
                    continue;
                }
                _ => {
                    report.ignored_files.push(file.name.to_owned());
                    continue;
                }
            };
            ofac.entry(list).or_default().set(role, *file)?;
        }

        let mut entities = Vec::new();
        let mut lists = Vec::new();
        let mut own_date = None;
        for (list, set) in &ofac {
            set.load(*list, &mut entities, &mut report)?;
            lists.push(*list);
        }
        for file in &un_files {
            let generated = un::load(file, &mut entities, &mut report)?;
            own_date = own_date.or(generated);
            if !lists.contains(&ListId::UnConsolidated) {
                lists.push(ListId::UnConsolidated);
            }
        }
        report.entities = entities.len();

        let mut publishers: Vec<&str> = lists.iter().map(|l| l.publisher()).collect();
        publishers.dedup();
        Ok(Self {
            entities,
            publisher: publishers.join(", "),
            lists,
            date: date.map(str::to_owned).or(own_date),
            content_hash: content_hash(files),
            report,
        })
    }
}

fn content_hash(files: &[ListFile<'_>]) -> String {
    let mut sorted: Vec<&ListFile<'_>> = files.iter().collect();
    sorted.sort_by_key(|f| f.name);
    let mut hasher = Sha256::new();
    for file in sorted {
        let base = file.name.rsplit(['/', '\\']).next().unwrap_or(file.name);
        hasher.update((base.len() as u64).to_le_bytes());
        hasher.update(base.as_bytes());
        hasher.update((file.bytes.len() as u64).to_le_bytes());
        hasher.update(file.bytes);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
