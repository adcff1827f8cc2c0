//! The `list_versions`, `list_version_entities` and `list_entity_contents` tables: every list snapshot the
//! server has loaded, with what each entry said.

use clearance_api::{ListVersion, WatchlistCount};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, params};

use super::{Conn, StoreResult, to_json};
use crate::delta::{Digest, Digests, Entry};

/// A version to record.
pub struct NewVersion<'a> {
    pub content_hash: &'a str,
    pub publisher: &'a str,
    pub date: Option<&'a str>,
    pub lists: &'a [WatchlistCount],
    pub entries: &'a [Entry],
}

impl Conn<'_> {
    /// Records a version and its entries, unless it is already recorded.
    pub fn record_version(&self, v: &NewVersion<'_>) -> StoreResult<()> {
        let inserted = self.0.execute(
            "INSERT OR IGNORE INTO list_versions (content_hash, publisher, date, loaded_at, lists, entities)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                v.content_hash,
                v.publisher,
                v.date,
                crate::clock::now(),
                to_json(&v.lists)?,
                v.entries.len() as i64
            ],
        )?;
        if inserted == 0 {
            return Ok(());
        }
        let id = self.0.last_insert_rowid();
        let mut content = self.0.prepare_cached(
            "INSERT OR IGNORE INTO list_entity_contents (content_hash, content) VALUES (?1, ?2)",
        )?;
        let mut entity = self.0.prepare_cached(
            "INSERT INTO list_version_entities (version_id, entity_key, content_hash) VALUES (?1, ?2, ?3)",
        )?;
        for entry in v.entries {
            content.execute(params![&entry.hash[..], entry.packed])?;
            entity.execute(params![id, entry.key, &entry.hash[..]])?;
        }
        Ok(())
    }

    /// The list version a screening ran against, when the screening exists.
    pub fn screening_version(&self, review_id: &str) -> StoreResult<Option<String>> {
        Ok(self
            .0
            .prepare_cached("SELECT list_version FROM screenings WHERE id = ?1")?
            .query_row([review_id], |row| row.get(0))
            .optional()?)
    }

    /// The publisher and date of the version `content_hash`, when it was recorded.
    pub fn version_label(
        &self,
        content_hash: &str,
    ) -> StoreResult<Option<(String, Option<String>)>> {
        Ok(self
            .0
            .prepare_cached("SELECT publisher, date FROM list_versions WHERE content_hash = ?1")?
            .query_row([content_hash], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?)
    }

    /// The entries' hashes of the version `content_hash`; none when it was never recorded (a screening
    /// stored before versions were).
    pub fn version_digests(&self, content_hash: &str) -> StoreResult<Option<Digests>> {
        let id: Option<i64> = self
            .0
            .prepare_cached("SELECT id FROM list_versions WHERE content_hash = ?1")?
            .query_row([content_hash], |row| row.get(0))
            .optional()?;
        let Some(id) = id else {
            return Ok(None);
        };
        let mut statement = self.0.prepare_cached(
            "SELECT entity_key, content_hash FROM list_version_entities WHERE version_id = ?1",
        )?;
        let rows = statement.query_map([id], |row| {
            let hash: Vec<u8> = row.get(1)?;
            let hash = Digest::try_from(hash.as_slice()).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(1, Type::Blob, Box::new(e))
            })?;
            Ok((row.get::<_, String>(0)?, hash))
        })?;
        Ok(Some(rows.collect::<rusqlite::Result<_>>()?))
    }

    /// What the entry `key` said in the version `content_hash` (JSON: the entities under that key).
    pub fn entry_content(&self, content_hash: &str, key: &str) -> StoreResult<Option<String>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT c.content FROM list_versions v
                 JOIN list_version_entities e ON e.version_id = v.id
                 JOIN list_entity_contents c ON c.content_hash = e.content_hash
                 WHERE v.content_hash = ?1 AND e.entity_key = ?2",
            )?
            .query_row([content_hash, key], |row| {
                let packed: Vec<u8> = row.get(0)?;
                crate::delta::unpack(&packed).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(0, Type::Blob, Box::new(e))
                })
            })
            .optional()?)
    }

    /// Every recorded version, newest first; `in_force` names the one new screenings use.
    pub fn versions(&self, in_force: &str) -> StoreResult<Vec<ListVersion>> {
        let mut statement = self.0.prepare_cached(
            "SELECT content_hash, publisher, date, loaded_at, lists, entities FROM list_versions
             ORDER BY id DESC",
        )?;
        let rows = statement.query_map([], |row| {
            let lists: String = row.get(4)?;
            let content_hash: String = row.get(0)?;
            Ok(ListVersion {
                in_force: content_hash == in_force,
                content_hash,
                publisher: row.get(1)?,
                date: row.get(2)?,
                loaded_at: row.get(3)?,
                lists: serde_json::from_str(&lists).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(4, Type::Text, Box::new(e))
                })?,
                entities: row.get::<_, i64>(5)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
