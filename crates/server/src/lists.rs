//! Finds the list directories the server screens against and describes each one. Parsing belongs to the
//! screening crate; this module only decides *which* files and reports their location and date, because an
//! analyst must always know how current the lists behind a result are.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use clearance_api::{ListSnapshot, LoadCounts, WatchlistCount, Watchlists};
use clearance_screening::codec::{Contents, Identity};
use clearance_screening::{Index, ListFile, ListId, Snapshot};

use crate::delta::{self, Digests};
use crate::downloads::IndexFile;

/// The development and CI default, from the shared snapshots beside the project: every official list a US
/// fintech screens against. The 2024 SDN list with the 2026 aliases and addresses, OFAC's consolidated
/// non-SDN list, and the UN Security Council consolidated list.
pub const SHARED_DEFAULT: [&str; 4] = [
    "../shared/data/lists/ofac-sdn-2024-05-03",
    "../shared/data/lists/ofac-alt-add-2026-06-02",
    "../shared/data/lists/ofac-consolidated-2025-12-19",
    "../shared/data/lists/un-consolidated-2026-02-27",
];

/// Where `scripts/fetch-lists` puts the lists it downloads, a directory per list.
pub const DOWNLOADED: &str = "data/lists";

#[derive(Debug, thiserror::Error)]
pub enum ListsError {
    #[error(
        "no list directory given and none found: pass --lists DIR, set CLEARANCE_LISTS, or run \
         scripts/fetch-lists to download OFAC's current files into {DOWNLOADED}"
    )]
    NoneFound,
    #[error("list directory {0}: {1}")]
    Unreadable(PathBuf, std::io::Error),
    #[error(
        "list directory {0} holds no list file (sdn.csv, alt.csv, add.csv, cons_*.csv or a UN .xml)"
    )]
    Empty(PathBuf),
    #[error("reading {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error(transparent)]
    Parse(#[from] clearance_screening::ListError),
}

/// Reads and parses every list file of the directories into one snapshot. Its date is the oldest of the
/// directories' dates: a set is only as current as its oldest part.
pub fn load(dirs: &[PathBuf]) -> Result<(Snapshot, Vec<ListSnapshot>), ListsError> {
    let described = dirs
        .iter()
        .map(|d| describe(d))
        .collect::<Result<Vec<_>, _>>()?;
    let mut contents = Vec::new();
    for (dir, snapshot) in dirs.iter().zip(&described) {
        for file in &snapshot.files {
            let path = dir.join(file);
            let bytes = std::fs::read(&path).map_err(|e| ListsError::Read(path.clone(), e))?;
            contents.push((path.display().to_string(), bytes));
        }
    }
    let files: Vec<ListFile<'_>> = contents
        .iter()
        .map(|(name, bytes)| ListFile { name, bytes })
        .collect();
    let date = described.iter().map(|s| s.date.as_str()).min();
    let snapshot = Snapshot::load(&files, date)?;
    Ok((snapshot, described))
}

/// Picks the list directories in the documented order: the ones given explicitly (flag or
/// `CLEARANCE_LISTS`), else the shared snapshots when they exist, else the downloaded lists.
pub fn resolve(explicit: &[PathBuf]) -> Result<Vec<PathBuf>, ListsError> {
    if !explicit.is_empty() {
        return Ok(explicit.to_vec());
    }
    let shared: Vec<PathBuf> = SHARED_DEFAULT.iter().map(PathBuf::from).collect();
    if shared.iter().all(|dir| dir.is_dir()) {
        return Ok(shared);
    }
    downloaded(Path::new(DOWNLOADED))
}

/// The directories `scripts/fetch-lists` wrote under `root`: each subdirectory holding list files (a
/// download in progress, `*.incoming`, is not one), or `root` itself when it holds them directly.
fn downloaded(root: &Path) -> Result<Vec<PathBuf>, ListsError> {
    if !root.is_dir() {
        return Err(ListsError::NoneFound);
    }
    let unreadable = |e| ListsError::Unreadable(root.to_path_buf(), e);
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() && !name.contains('.') && describe(&path).is_ok() {
            dirs.push(path);
        }
    }
    dirs.sort();
    if dirs.is_empty() {
        dirs.push(root.to_path_buf());
    }
    Ok(dirs)
}

/// Describes a list directory: its list files and its date. The date is the `YYYY-MM-DD` that ends the
/// directory's name when there is one (the snapshots are named so), else the day the newest list file was
/// written (a fresh download).
pub fn describe(dir: &Path) -> Result<ListSnapshot, ListsError> {
    let unreadable = |e| ListsError::Unreadable(dir.to_path_buf(), e);
    let mut files = Vec::new();
    let mut newest = None;
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_list_file(&name) {
            continue;
        }
        let modified = entry
            .metadata()
            .and_then(|m| m.modified())
            .map_err(unreadable)?;
        newest = newest.max(Some(modified));
        files.push(name);
    }
    let Some(newest) = newest else {
        return Err(ListsError::Empty(dir.to_path_buf()));
    };
    files.sort();
    let date = date_in_name(dir).unwrap_or_else(|| DateTime::<Utc>::from(newest).date_naive());
    Ok(ListSnapshot {
        name: list_name(&files),
        directory: Some(dir.display().to_string()),
        date: date.format("%Y-%m-%d").to_string(),
        files,
    })
}

/// The lists in force: the index that screens customers, and what the server hands out about it.
pub struct Lists {
    pub index: Index,
    pub watchlists: Watchlists,
    /// Each list's own date, which every match names.
    dates: Vec<(ListId, String)>,
    /// Each entry's content hash, which a list update compares with the lists before.
    pub digests: Digests,
    /// What the console downloads for its in-browser screening and evidence.
    pub full_index: IndexFile,
    /// What the onboarding widget downloads to pre-screen names.
    pub names_index: IndexFile,
}

/// Indexes a loaded snapshot and prepares what the server hands out about it: the counts for
/// `/v1/watchlists` and the encoded indexes for `/v1/watchlists/index` and `/v1/watchlists/index/names`.
/// Also returns the snapshot's entries, for the store to record the version with.
pub fn serving_state(
    snapshot: Snapshot,
    directories: Vec<ListSnapshot>,
) -> (Lists, Vec<delta::Entry>) {
    let identity = Identity::of(&snapshot);
    let report = snapshot.report.clone();
    let entries = delta::entries(&snapshot.entities);
    let digests = entries.iter().map(|e| (e.key.clone(), e.hash)).collect();
    let index = Index::build(snapshot.entities);
    let dates = list_dates(&directories);
    let lists = identity
        .lists
        .iter()
        .map(|list| WatchlistCount {
            list_name: list.name().to_owned(),
            date: date_of(&dates, *list),
            entities: index.entities().iter().filter(|e| e.list == *list).count(),
        })
        .collect();
    let watchlists = Watchlists {
        publisher: identity.publisher.clone(),
        date: identity.date.clone(),
        content_hash: identity.content_hash.clone(),
        directories,
        lists,
        load: LoadCounts {
            entities: report.entities,
            names: index.name_count(),
            aliases: report.aliases,
            addresses: report.addresses,
            skipped_aliases: report.skipped_aliases,
            skipped_addresses: report.skipped_addresses,
            duplicate_ids: report.duplicate_ids,
        },
        job: None,
    };
    let lists = Lists {
        full_index: IndexFile::encode(&index, &identity, Contents::Full),
        names_index: IndexFile::encode(&index, &identity, Contents::Names),
        watchlists,
        index,
        dates,
        digests,
    };
    (lists, entries)
}

impl Lists {
    /// The list version: SHA-256 of the list files, as every screening records it.
    pub fn version(&self) -> &str {
        &self.watchlists.content_hash
    }

    /// The date of the list `list`, when a loaded directory holds its main file.
    pub fn date_of(&self, list: ListId) -> Option<String> {
        date_of(&self.dates, list)
    }
}

fn date_of(dates: &[(ListId, String)], list: ListId) -> Option<String> {
    dates
        .iter()
        .find(|(l, _)| *l == list)
        .map(|(_, date)| date.clone())
}

/// Each list's date: the date of the directory holding its main file (`sdn.csv`, `cons_prim.csv`, the UN
/// XML). A directory of aliases and addresses alone adds to a list without dating it.
fn list_dates(directories: &[ListSnapshot]) -> Vec<(ListId, String)> {
    let mut dates = Vec::new();
    for dir in directories {
        for file in &dir.files {
            let lower = file.to_ascii_lowercase();
            let list = match lower.as_str() {
                "sdn.csv" => ListId::OfacSdn,
                "cons_prim.csv" => ListId::OfacConsolidated,
                _ if lower.ends_with(".xml") => ListId::UnConsolidated,
                _ => continue,
            };
            if !dates.iter().any(|(l, _)| *l == list) {
                dates.push((list, dir.date.clone()));
            }
        }
    }
    dates
}

fn is_list_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "sdn.csv" | "alt.csv" | "add.csv" | "sdn_comments.csv"
    ) || (lower.starts_with("cons_") && lower.ends_with(".csv"))
        || lower.ends_with(".xml")
}

/// What a directory's files are, as an analyst names the list.
fn list_name(files: &[String]) -> String {
    let has = |name: &str| files.iter().any(|f| f.eq_ignore_ascii_case(name));
    let lower: Vec<String> = files.iter().map(|f| f.to_ascii_lowercase()).collect();
    if has("sdn.csv") {
        "OFAC SDN".into()
    } else if has("alt.csv") || has("add.csv") {
        "OFAC SDN aliases and addresses".into()
    } else if lower.iter().any(|f| f.starts_with("cons_")) {
        "OFAC Consolidated (non-SDN)".into()
    } else if lower
        .iter()
        .any(|f| f.starts_with("un") && f.ends_with(".xml"))
    {
        "UN Security Council Consolidated".into()
    } else {
        "Sanctions list".into()
    }
}

fn date_in_name(dir: &Path) -> Option<NaiveDate> {
    let name = dir.file_name()?.to_str()?;
    let tail = name.get(name.len().checked_sub(10)?..)?;
    NaiveDate::parse_from_str(tail, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_comes_from_the_directory_name() {
        let dir = tempfile::Builder::new()
            .prefix("ofac-sdn-")
            .suffix("-2024-05-03")
            .tempdir()
            .unwrap();
        std::fs::write(dir.path().join("SDN.CSV"), "").unwrap();
        std::fs::write(dir.path().join("readme.txt"), "").unwrap();
        let snapshot = describe(dir.path()).unwrap();
        assert_eq!(snapshot.date, "2024-05-03");
        assert_eq!(snapshot.files, vec!["SDN.CSV"]);
    }

    #[test]
    fn undated_directory_takes_the_newest_file_date() {
        let dir = tempfile::tempdir().unwrap();
        let day = std::time::Duration::from_secs(86_400);
        let now = std::time::SystemTime::now();
        for (name, age) in [("sdn.csv", 10), ("alt.csv", 3), ("add.csv", 7)] {
            let path = dir.path().join(name);
            std::fs::write(&path, "").unwrap();
            std::fs::File::options()
                .write(true)
                .open(&path)
                .unwrap()
                .set_modified(now - day * age)
                .unwrap();
        }
        let snapshot = describe(dir.path()).unwrap();
        let three_days_ago = DateTime::<Utc>::from(now - day * 3).date_naive();
        assert_eq!(
            snapshot.date,
            three_days_ago.format("%Y-%m-%d").to_string(),
            "the newest file's day, neither today nor an older file's"
        );
    }

    #[test]
    fn directory_without_list_files_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "").unwrap();
        assert!(matches!(describe(dir.path()), Err(ListsError::Empty(_))));
    }

    #[test]
    fn explicit_directories_win() {
        let given = vec![PathBuf::from("/somewhere/else")];
        assert_eq!(resolve(&given).unwrap(), given);
    }

    #[test]
    fn a_download_is_a_directory_per_list_and_never_one_in_progress() {
        let root = tempfile::tempdir().unwrap();
        for dir in ["ofac-sdn", "un-consolidated", "ofac-sdn.incoming", "empty"] {
            std::fs::create_dir(root.path().join(dir)).unwrap();
        }
        std::fs::write(root.path().join("ofac-sdn/sdn.csv"), "").unwrap();
        std::fs::write(root.path().join("ofac-sdn.incoming/sdn.csv"), "").unwrap();
        std::fs::write(root.path().join("un-consolidated/un.xml"), "").unwrap();
        assert_eq!(
            downloaded(root.path()).unwrap(),
            vec![
                root.path().join("ofac-sdn"),
                root.path().join("un-consolidated")
            ]
        );
    }
}
