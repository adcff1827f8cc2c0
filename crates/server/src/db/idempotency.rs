//! Stored first responses to Idempotency-Keys. Looked up and written inside the same transaction as the
//! change, so a retry racing the original still sees exactly one change.

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
         WHERE key_id = ?1 AND idempotency_key = ?2",
    )?
    .query_row([key_id, key], |row| {
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
        "INSERT INTO idempotency (key_id, idempotency_key, method, path, body_hash, status, response,
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
