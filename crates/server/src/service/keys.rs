//! API keys as services see them: found by their secret, made and revoked by the operator's CLI.

use std::path::Path;

use crate::domain::roles::Role;
use crate::service::DomainError;
use crate::state::AppState;
use crate::store::keys::Key;

/// The live key with this secret, if any.
pub async fn find(state: &AppState, secret: String) -> Result<Option<Key>, DomainError> {
    Ok(state
        .store
        .read(move |conn| conn.key_by_secret(&secret))
        .await?)
}

/// Creates a key of `role` in the database at `db` and returns its secret, shown this once.
pub fn create(db: &Path, role: Role, label: &str) -> Result<String, DomainError> {
    Ok(crate::store::with_conn(db, |c| c.create_key(role, label))?)
}

/// Revokes a key by id; returns whether it existed and was live.
pub fn revoke(db: &Path, id: &str) -> Result<bool, DomainError> {
    Ok(crate::store::with_conn(db, |c| c.revoke_key(id))?)
}
