//! The `match_decisions` and `cleared_pairs` tables: analysts' decisions on single matches, and the
//! false-positive memory those decisions leave.

use std::collections::HashMap;

use clearance_api::{MatchDecision, MatchReview, PreviouslyCleared, WatchList};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, params};

use super::{Conn, StoreResult};

/// A pair an analyst cleared: the customer, the listed entry (`OFAC SDN 12345`) and the entry's content
/// hash in the version screened.
pub struct ClearedPair<'a> {
    pub customer_id: &'a str,
    pub entity_key: &'a str,
    pub entity_version: &'a [u8],
    pub match_id: &'a str,
}

impl Conn<'_> {
    /// Records (or changes) the decision on one match of the screening `review_id`.
    pub fn decide_match(
        &self,
        review_id: &str,
        match_id: &str,
        decision: &MatchReview,
    ) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "INSERT INTO match_decisions (match_id, review_id, decision, decided_by, decided_at, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (match_id) DO UPDATE SET decision = excluded.decision,
                     decided_by = excluded.decided_by, decided_at = excluded.decided_at,
                     note = excluded.note",
            )?
            .execute(params![
                match_id,
                review_id,
                decision.decision.as_str(),
                decision.decided_by,
                decision.decided_at,
                decision.note
            ])?;
        Ok(())
    }

    /// The decisions on the matches of the screening `review_id`, by match id.
    pub fn match_decisions(&self, review_id: &str) -> StoreResult<HashMap<String, MatchReview>> {
        let mut statement = self.0.prepare_cached(
            "SELECT match_id, decision, decided_by, decided_at, note FROM match_decisions
             WHERE review_id = ?1",
        )?;
        let rows = statement.query_map([review_id], |row| {
            let text: String = row.get(1)?;
            let decision = MatchDecision::parse(&text).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(1, Type::Text, "match decision".into())
            })?;
            Ok((
                row.get::<_, String>(0)?,
                MatchReview {
                    decision,
                    decided_by: row.get(2)?,
                    decided_at: row.get(3)?,
                    note: row.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Puts on each match of `watch_list`, the result of the screening `review_id`, its decision.
    pub fn attach_decisions(&self, review_id: &str, watch_list: &mut WatchList) -> StoreResult<()> {
        let decisions = self.match_decisions(review_id)?;
        for found in &mut watch_list.matches {
            found.decision = found
                .match_id
                .as_ref()
                .and_then(|id| decisions.get(id))
                .cloned();
        }
        Ok(())
    }

    /// The content hash of the entry `entity_key` in the list version `list_version`; none when that
    /// version was never recorded.
    pub fn entity_version(
        &self,
        list_version: &str,
        entity_key: &str,
    ) -> StoreResult<Option<Vec<u8>>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT e.content_hash FROM list_versions v
                 JOIN list_version_entities e ON e.version_id = v.id
                 WHERE v.content_hash = ?1 AND e.entity_key = ?2",
            )?
            .query_row([list_version, entity_key], |row| row.get(0))
            .optional()?)
    }

    /// Remembers a cleared pair, with who cleared it, when and why.
    pub fn remember_cleared(
        &self,
        pair: &ClearedPair<'_>,
        by: &str,
        at: &str,
        note: Option<&str>,
    ) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "INSERT INTO cleared_pairs (customer_id, entity_key, entity_version, match_id, cleared_by,
                     cleared_at, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                pair.customer_id,
                pair.entity_key,
                pair.entity_version,
                pair.match_id,
                by,
                at,
                note
            ])?;
        Ok(())
    }

    /// The latest clearance still in force of the entry `entity_key`, as it reads in `entity_version`, for
    /// the customer.
    pub fn cleared(
        &self,
        customer_id: &str,
        entity_key: &str,
        entity_version: &[u8],
    ) -> StoreResult<Option<PreviouslyCleared>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT cleared_by, cleared_at, note, match_id FROM cleared_pairs
                 WHERE customer_id = ?1 AND entity_key = ?2 AND entity_version = ?3
                     AND voided_at IS NULL
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row(params![customer_id, entity_key, entity_version], |row| {
                Ok(PreviouslyCleared {
                    cleared_by: row.get(0)?,
                    cleared_at: row.get(1)?,
                    note: row.get(2)?,
                    match_id: row.get(3)?,
                })
            })
            .optional()?)
    }

    /// Voids every clearance of the customer: its names or date of birth changed, so what was cleared was
    /// another person, or the customer was rejected. Returns how many it voided.
    pub fn void_cleared(&self, customer_id: &str, at: &str) -> StoreResult<usize> {
        Ok(self
            .0
            .prepare_cached(
                "UPDATE cleared_pairs SET voided_at = ?2 WHERE customer_id = ?1 AND voided_at IS NULL",
            )?
            .execute([customer_id, at])?)
    }

    /// Voids the customer's clearances of the entry `entity_key`, or, given `kept`, those of other
    /// versions of it than `kept`: a confirmation undoes every clearance of the entry, and a changed entry
    /// makes the clearances of what it said before lapse for good, even if it changes back.
    pub fn forget_cleared(
        &self,
        customer_id: &str,
        entity_key: &str,
        kept: Option<&[u8]>,
        at: &str,
    ) -> StoreResult<usize> {
        Ok(self
            .0
            .prepare_cached(
                "UPDATE cleared_pairs SET voided_at = ?4
                 WHERE customer_id = ?1 AND entity_key = ?2 AND voided_at IS NULL
                     AND (?3 IS NULL OR entity_version != ?3)",
            )?
            .execute(params![customer_id, entity_key, kept, at])?)
    }
}
