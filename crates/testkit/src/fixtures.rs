//! The data tests share: the list snapshots beside the project and a valid customer.

use std::path::{Path, PathBuf};

use clearance_screening::{Entity, EntityKind, ListFile, Snapshot};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/lists/");

/// The lists `make run` uses: the 2024 SDN list with the 2026 aliases and addresses, OFAC's consolidated
/// non-SDN list and the UN Security Council consolidated list.
pub fn default_lists() -> Vec<PathBuf> {
    [
        "ofac-sdn-2024-05-03",
        "ofac-alt-add-2026-06-02",
        "ofac-consolidated-2025-12-19",
        "un-consolidated-2026-02-27",
    ]
    .iter()
    .map(|d| shared_list(d))
    .collect()
}

/// One shared list snapshot directory by name.
pub fn shared_list(dir: &str) -> PathBuf {
    PathBuf::from(SHARED).join(dir)
}

/// The lists of the shared snapshot `dir`, as the screening crate loads them: what a test predicts results
/// from, independently of the server.
pub fn shared_snapshot(dir: &str) -> Snapshot {
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(shared_list(dir))
        .expect("the shared snapshot directory")
        .map(|e| {
            let path = e.expect("a directory entry").path();
            let bytes = std::fs::read(&path).expect("a list file");
            (path.display().to_string(), bytes)
        })
        .collect();
    let files: Vec<ListFile<'_>> = files
        .iter()
        .map(|(name, bytes)| ListFile { name, bytes })
        .collect();
    Snapshot::load(&files, None).expect("the shared snapshot loads")
}

/// A listed name as a customer writes it: "First LAST" for the list's "LAST, First".
pub fn as_written(listed: &str) -> String {
    match listed.split_once(", ") {
        Some((last, first)) => format!("{first} {last}"),
        None => listed.to_owned(),
    }
}

/// The individuals among `entities`, named as a customer writes a name.
pub fn individuals_as_written(entities: &[Entity]) -> Vec<String> {
    entities
        .iter()
        .filter(|e| e.kind == EntityKind::Individual)
        .map(|e| as_written(&e.name))
        .collect()
}

/// The full names of the shared negatives-us set, in its order: people no list names.
pub fn negatives_us_names() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/negatives-us.csv"
    );
    csv::Reader::from_path(path)
        .expect("the shared negatives-us set")
        .records()
        .map(|r| r.expect("a negatives-us row")[0].to_owned())
        .collect()
}

/// Replaces the list files in `target` with those of the shared snapshot `snapshot`, as
/// `scripts/fetch-lists` does: copied beside it, then renamed into place, so a server re-reading the
/// directory never sees half of them.
pub fn put_lists(target: &Path, snapshot: &str) {
    let incoming = target.with_extension("incoming");
    std::fs::create_dir_all(&incoming).expect("a directory beside the target");
    for entry in std::fs::read_dir(shared_list(snapshot)).expect("the shared snapshot directory") {
        let path = entry.expect("a directory entry").path();
        let name = path.file_name().expect("a file name");
        std::fs::copy(&path, incoming.join(name)).expect("copying a list file");
    }
    if target.exists() {
        std::fs::remove_dir_all(target).expect("removing the old lists");
    }
    std::fs::rename(&incoming, target).expect("moving the new lists into place");
}

/// A name the 2024 SDN list holds, so screening puts its customer in review: [`DOB`] is within a year of
/// its listed birth date (a birth year further off would clear it).
pub const LISTED: &str = "Vladimir Putin";
pub const CLEAN: &str = "Ron Swanson";
pub const SSN: &str = "512-44-8890";
pub const DOB: &str = "1953-02-14";

/// A valid individual; `name` decides whether screening finds a match. Its email and external id are
/// new on every call, since no two customers may share either.
pub fn individual(name: &str) -> Value {
    static CALLS: AtomicU64 = AtomicU64::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let tag = format!("{}-{n}", std::process::id());
    serde_json::json!({
        "type": "individual",
        "name": name,
        "email": format!("ron.swanson+{tag}@pawnee.com"),
        "phone": "+12128675309",
        "device": {"ip_address": "192.168.1.1"},
        "address": {"address1": "123 Main St", "city": "Pawnee", "state": "IN", "zip": "47998"},
        "compliance_profile": {"dob": DOB, "ssn": SSN},
        "external_id": format!("ext-ron-{tag}"),
    })
}

/// A valid individual without a compliance profile: screened by name and type alone, so no listed birth
/// date moves a score.
pub fn undated(name: &str) -> serde_json::Value {
    let mut body = individual(name);
    body.as_object_mut()
        .expect("an object")
        .remove("compliance_profile");
    body
}
