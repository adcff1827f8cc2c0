//! Stored first responses to Idempotency-Keys. Looked up and written inside the same transaction as the
//! change, so a retry racing the original still sees exactly one change. A key is remembered for 24 hours,
//! as Straddle and Stripe do; after that it may be used again, and the server forgets old ones at start-up.

/// How long a key is remembered, as an SQLite date modifier.
const KEPT: &str = "-24 hours";

use rusqlite::{Connection, OptionalExtension, params};

/// What a key was first used for, and what it answered.
pub struct Stored {
    pub customer_id: Option<String>,
    pub method: String,
    pub path: String,
    pub body_hash: Vec<u8>,
    pub status: u16,
    pub response: Vec<u8>,
}

pub fn get(conn: &Connection, key_id: &str, key: &str) -> rusqlite::Result<Option<Stored>> {
    conn.prepare_cached(
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
    .optional()
}

pub fn put(conn: &Connection, key_id: &str, key: &str, stored: &Stored) -> rusqlite::Result<()> {
    conn.prepare_cached(
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
pub fn forget_customer(conn: &Connection, customer_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM idempotency WHERE customer_id = ?1")?
        .execute([customer_id])?;
    Ok(())
}

/// Forgets keys older than the 24 hours they are kept; returns how many.
pub fn expire(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM idempotency WHERE created_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)",
        [KEPT],
    )
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

    #[test]
    fn a_key_is_remembered_for_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("c.db")).unwrap();
        put(&conn, "key_a", "k1", &stored()).unwrap();
        assert!(get(&conn, "key_a", "k1").unwrap().is_some());
        assert!(get(&conn, "key_b", "k1").unwrap().is_none(), "per API key");
        conn.execute(
            "UPDATE idempotency SET created_at = '2000-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
        assert!(get(&conn, "key_a", "k1").unwrap().is_none(), "expired");
        put(&conn, "key_a", "k1", &stored()).unwrap();
        conn.execute(
            "UPDATE idempotency SET created_at = '2000-01-01T00:00:00.000Z'",
            [],
        )
        .unwrap();
        assert_eq!(expire(&conn).unwrap(), 1);
    }
}
