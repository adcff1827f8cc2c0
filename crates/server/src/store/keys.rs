//! API keys. The secret is `clr_` (`pk_` for a publishable key) and 32 random bytes in hex; only its
//! SHA-256 is stored, so a copy of the database grants nothing. Secrets are random enough that an unsalted
//! hash is safe to look up by.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::{Conn, StoreError, StoreResult};
use crate::domain::origin::Origin;
use crate::domain::roles::Role;

/// A key as the server knows it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub id: String,
    pub role: Role,
    pub label: String,
    /// Where a publishable key may be used from; empty for the staff roles.
    pub origins: Vec<Origin>,
}

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Conn<'_> {
    /// Creates a key and returns its secret, which is shown this once.
    pub fn create_key(&self, role: Role, label: &str, origins: &[Origin]) -> StoreResult<String> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(StoreError::Randomness)?;
        let mut id = [0u8; 6];
        getrandom::fill(&mut id).map_err(StoreError::Randomness)?;
        let prefix = if role == Role::Publishable {
            "pk"
        } else {
            "clr"
        };
        let secret = format!("{prefix}_{}", hex(&secret));
        let origins: Vec<&str> = origins.iter().map(Origin::as_str).collect();
        self.0.execute(
            "INSERT INTO api_keys (id, hash, role, label, created_at, origins)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                format!("key_{}", hex(&id)),
                hash(&secret),
                role.as_str(),
                label,
                crate::clock::now(),
                serde_json::to_string(&origins).unwrap_or_else(|_| "[]".to_owned()),
            ],
        )?;
        Ok(secret)
    }

    /// Whether a live publishable key may be used from `origin`: who gets CORS answers.
    pub fn is_publishable_origin(&self, origin: &Origin) -> StoreResult<bool> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT 1 FROM api_keys, json_each(api_keys.origins)
                 WHERE role = 'publishable' AND revoked_at IS NULL AND json_each.value = ?1 LIMIT 1",
            )?
            .exists([origin.as_str()])?)
    }

    /// The live key with this secret, if any.
    pub fn key_by_secret(&self, secret: &str) -> StoreResult<Option<Key>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT id, role, label, origins FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL",
            )?
            .query_row([hash(secret)], |row| {
                let role: String = row.get(1)?;
                let origins: String = row.get(3)?;
                let origins: Vec<String> = serde_json::from_str(&origins).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        3,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?;
                Ok(Key {
                    id: row.get(0)?,
                    role: Role::parse(&role).ok_or_else(|| {
                        rusqlite::Error::FromSqlConversionFailure(
                            1,
                            rusqlite::types::Type::Text,
                            "key role".into(),
                        )
                    })?,
                    label: row.get(2)?,
                    origins: origins
                        .iter()
                        .filter_map(|o| Origin::parse(o).ok())
                        .collect(),
                })
            })
            .optional()?)
    }

    /// The role of the live key `id`, if there is one.
    pub fn live_key_role(&self, id: &str) -> StoreResult<Option<Role>> {
        let role: Option<String> = self
            .0
            .prepare_cached("SELECT role FROM api_keys WHERE id = ?1 AND revoked_at IS NULL")?
            .query_row([id], |row| row.get(0))
            .optional()?;
        Ok(role.as_deref().and_then(Role::parse))
    }

    /// Revokes a key by id; returns whether it existed and was live.
    pub fn revoke_key(&self, id: &str) -> StoreResult<bool> {
        let changed = self.0.execute(
            "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, crate::clock::now()],
        )?;
        Ok(changed == 1)
    }
}
