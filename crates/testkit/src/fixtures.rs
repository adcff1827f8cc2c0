//! The data tests share: the list snapshots beside the project and a valid customer.

use std::path::PathBuf;
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

/// A name the 2024 SDN list holds, so screening puts its customer in review.
pub const LISTED: &str = "Vladimir Putin";
pub const CLEAN: &str = "Ron Swanson";
pub const SSN: &str = "512-44-8890";
pub const DOB: &str = "1972-05-06";

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
