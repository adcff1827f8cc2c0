//! Stored first responses to Idempotency-Keys. Looked up and written inside the same transaction as the
//! change, so a retry racing the original still sees exactly one change. A key is remembered for 24 hours,
//! as Straddle and Stripe do; after that it may be used again, and the server forgets old ones at start-up.

/// How long a key is remembered, as an SQLite date modifier.
const KEPT: &str = "-24 hours";

use rusqlite::{OptionalExtension, params};

use super::{Conn, StoreResult};

/// What a key was first used for, and what it answered.
pub struct Stored {
    pub customer_id: Option<String>,
    pub method: String,
    pub path: String,
    pub body_hash: Vec<u8>,
    pub status: u16,
    pub response: Vec<u8>,
}

impl Conn<'_> {
    /// The first response to this key of this API key, while it is remembered.
    pub fn stored_reply(&self, key_id: &str, key: &str) -> StoreResult<Option<Stored>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT method, path, body_hash, status, response, customer_id FROM idempotency
         WHERE key_id = ?1 AND idempotency_key = ?2
           AND created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?3)",
            )?
            .query_row([key_id, key, KEPT], |row| {
                Ok(Stored {
                    customer_id: row.get(5)?,
                    method: row.get(0)?,
                    path: row.get(1)?,
                    body_hash: row.get(2)?,
                    status: row.get(3)?,
                    response: row.get(4)?,
                })
            })
            .optional()?)
    }

    pub fn store_reply(&self, key_id: &str, key: &str, stored: &Stored) -> StoreResult<()> {
        self.0.prepare_cached(
        "INSERT OR REPLACE INTO idempotency (key_id, idempotency_key, method, path, body_hash, status, response,
             created_at, customer_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        key_id,
        key,
        stored.method,
        stored.path,
        stored.body_hash,
        stored.status,
        stored.response,
        crate::clock::now(),
        stored.customer_id,
    ])?;
        Ok(())
    }

    /// Forgets the stored responses about a customer being erased.
    pub fn forget_replies_about(&self, customer_id: &str) -> StoreResult<()> {
        self.0
            .prepare_cached("DELETE FROM idempotency WHERE customer_id = ?1")?
            .execute([customer_id])?;
        Ok(())
    }

    /// Forgets keys older than the 24 hours they are kept; returns how many.
    pub fn expire_replies(&self) -> StoreResult<usize> {
        Ok(self.0.execute(
            "DELETE FROM idempotency WHERE created_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
            [KEPT],
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored() -> Stored {
        Stored {
            customer_id: None,
            method: "POST".into(),
            path: "/v1/customers".into(),
            body_hash: vec![1; 32],
            status: 201,
            response: b"{}".to_vec(),
        }
    }

    /// Moves every stored key's first use `hours` into the past.
    fn age(conn: &rusqlite::Connection, hours: i64) {
        conn.execute(
            "UPDATE idempotency SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
            [format!("-{hours} hours")],
        )
        .unwrap();
    }

    #[test]
    fn a_key_is_remembered_for_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let raw = crate::store::open(&dir.path().join("c.db")).unwrap();
        let keyring = crate::store::Keyring::load(crate::store::KeySource::None).unwrap();
        let conn = Conn(&raw, &keyring);
        conn.store_reply("key_a", "k1", &stored()).unwrap();
        assert!(conn.stored_reply("key_a", "k1").unwrap().is_some());
        assert!(
            conn.stored_reply("key_b", "k1").unwrap().is_none(),
            "per API key"
        );
        age(&raw, 23);
        assert!(
            conn.stored_reply("key_a", "k1").unwrap().is_some(),
            "kept at 23 hours"
        );
        assert_eq!(conn.expire_replies().unwrap(), 0, "not expired at 23 hours");
        age(&raw, 25);
        assert!(
            conn.stored_reply("key_a", "k1").unwrap().is_none(),
            "forgotten at 25 hours"
        );
        conn.store_reply("key_a", "k2", &stored()).unwrap();
        assert_eq!(
            conn.expire_replies().unwrap(),
            1,
            "only the 25-hour key goes"
        );
        assert!(conn.stored_reply("key_a", "k2").unwrap().is_some());
    }
}
