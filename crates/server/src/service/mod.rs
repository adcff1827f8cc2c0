//! The rules: screening on write, the status machine, decisions and re-screens. Each service takes the
//! state and plain values, runs its storage through the store, and returns a [`DomainError`] on refusal;
//! it knows nothing of HTTP.

pub mod approval;
pub mod assign;
pub mod compliance;
pub mod customers;
pub mod easyofac;
mod error;
pub mod export;
pub mod keys;
pub mod list_update;
pub mod matches;
pub mod memory;
pub mod rescreen;
pub mod review;
pub mod status;
pub mod watchlists;
pub mod webhooks;
pub mod write;

pub use error::DomainError;

use crate::domain::customer::Record;
use crate::store::Conn;

/// Writes `record` back and counts the write in its version, or refuses with a conflict when another
/// write got there first; `doing` says what was interrupted ("deciding").
fn save(conn: &Conn<'_>, record: &mut Record, doing: &str) -> Result<(), DomainError> {
    if !conn.update_customer(record)? {
        return Err(DomainError::Conflict(format!(
            "the customer changed while {doing}; read it again"
        )));
    }
    record.version += 1;
    Ok(())
}

/// The stored customer `id`, or the not-found refusal every service gives for a missing one.
fn existing(conn: &Conn<'_>, id: &str) -> Result<Record, DomainError> {
    conn.customer(id)?
        .ok_or_else(|| DomainError::NotFound(id.to_owned()))
}
