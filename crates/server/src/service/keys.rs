//! API keys as services see them: found by their secret, made and revoked by the operator's CLI.

use std::path::Path;

use crate::domain::origin::Origin;
use crate::domain::roles::Role;
use crate::service::DomainError;
use crate::state::AppState;
use crate::store::keys::Key;
use crate::store::{KeySource, Keyring, keyring};

/// The live key with this secret, if any.
pub async fn find(state: &AppState, secret: String) -> Result<Option<Key>, DomainError> {
    Ok(state
        .store
        .read(move |conn| conn.key_by_secret(&secret))
        .await?)
}

/// Creates a key of `role` in the database at `db` and returns its secret, shown this once. A
/// publishable key needs the origins it may be used from; the staff roles take none.
pub fn create(
    db: &Path,
    role: Role,
    label: &str,
    origins: &[Origin],
) -> Result<String, DomainError> {
    match (role, origins.is_empty()) {
        (Role::Publishable, true) => {
            return Err(DomainError::InvalidState(
                "a publishable key needs at least one --origin, such as https://shop.example"
                    .into(),
            ));
        }
        (Role::Viewer | Role::Analyst | Role::Admin, false) => {
            return Err(DomainError::InvalidState(
                "only a publishable key is tied to --origin".into(),
            ));
        }
        _ => {}
    }
    let no_data_keys = Keyring::load(KeySource::None)?;
    Ok(crate::store::with_conn(db, &no_data_keys, |c| {
        c.create_key(role, label, origins)
    })?)
}

/// Whether a live publishable key may be used from `origin`.
pub async fn is_publishable_origin(state: &AppState, origin: Origin) -> Result<bool, DomainError> {
    Ok(state
        .store
        .read(move |conn| conn.is_publishable_origin(&origin))
        .await?)
}

/// Revokes a key by id; returns whether it existed and was live.
pub fn revoke(db: &Path, id: &str) -> Result<bool, DomainError> {
    let no_data_keys = Keyring::load(KeySource::None)?;
    Ok(crate::store::with_conn(db, &no_data_keys, |c| {
        c.revoke_key(id)
    })?)
}

/// Rows (customers' profiles, and webhooks' secrets) re-sealed per transaction by a rotation, so a running
/// server's writes wait only briefly.
const RESEAL_BATCH: usize = 500;

/// What a data key rotation re-sealed under the new key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resealed {
    pub profiles: usize,
    pub webhook_secrets: usize,
}

/// Appends a new data key to `key_file` and re-seals every compliance profile and webhook signing secret
/// under it, batch by batch, while a server may keep serving; returns the new key's id and what was
/// re-sealed.
pub fn rotate_data_key(db: &Path, key_file: &Path) -> Result<(String, Resealed), DomainError> {
    let id = keyring::append_key(key_file)?;
    let keys = Keyring::load(KeySource::File(key_file.to_path_buf()))?;
    let mut resealed = Resealed::default();
    // A running server picks up the new key within `keyring::RECHECK`; until then it may still seal with
    // the old one, so once no row is left under an old key, wait that long and sweep once more.
    let mut settled = false;
    loop {
        let (profiles, secrets) = crate::store::with_conn(db, &keys, |c| {
            Ok::<_, crate::store::StoreError>((
                c.reseal_batch(RESEAL_BATCH)?,
                c.reseal_webhook_secrets(RESEAL_BATCH)?,
            ))
        })?;
        resealed.profiles += profiles;
        resealed.webhook_secrets += secrets;
        if profiles + secrets == 0 {
            if settled {
                return Ok((id, resealed));
            }
            std::thread::sleep(keyring::RECHECK * 2);
            settled = true;
        }
    }
}
