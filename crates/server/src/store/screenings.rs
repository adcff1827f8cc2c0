//! The `screenings` table: every screening of a customer and, once an analyst decides it, the decision.

use clearance_api::{
    Approval, CustomerStatus, Decision, ListUpdateMark, ReviewDecision, WatchList,
};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, params};

use super::{Conn, StoreResult};
use crate::domain::customer::Record;
use crate::domain::screening::Screening;

fn decision_str(decision: Decision) -> &'static str {
    match decision {
        Decision::Accept => "accept",
        Decision::Review => "review",
        Decision::Reject => "reject",
    }
}

/// A stored screening with its decision, if any.
pub struct Stored {
    pub screening: Screening,
    pub decision: Option<ReviewDecision>,
    /// The list update that made it, if one did.
    pub list_update: Option<ListUpdateMark>,
    /// Under four-eyes approval, the first analyst's decision and the key that made it.
    pub first: Option<(Approval, String)>,
}

impl Stored {
    /// The first of a four-eyes approval's two decisions, while the second is awaited.
    pub fn awaiting_approval(&self) -> Option<&Approval> {
        self.first
            .as_ref()
            .filter(|_| self.decision.is_none())
            .map(|(approval, _)| approval)
    }
}

impl Conn<'_> {
    /// Stores a screening; `job` names the list update that made it.
    pub fn insert_screening(
        &self,
        customer_id: &str,
        s: &Screening,
        job: Option<&str>,
    ) -> StoreResult<()> {
        let result = serde_json::to_string(&s.watch_list)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        self.0
            .prepare_cached(
                "INSERT INTO screenings (id, customer_id, created_at, list_version, decision, result,
                     job_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                s.review_id,
                customer_id,
                s.created_at,
                s.watch_list.list_version,
                decision_str(s.watch_list.decision),
                result,
                job
            ])?;
        Ok(())
    }

    /// The screening in force for `record`, if it has been screened.
    pub fn current_screening(&self, record: &Record) -> StoreResult<Option<Stored>> {
        match &record.review_id {
            Some(review_id) => self.screening(review_id),
            None => Ok(None),
        }
    }

    pub fn screening(&self, review_id: &str) -> StoreResult<Option<Stored>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT s.id, s.created_at, s.result, s.decided_status, s.decided_by, s.decided_at,
                     s.note, s.job_id, v.date, s.first_status, s.first_by, s.first_key, s.first_at,
                     s.first_note
                 FROM screenings s
                 LEFT JOIN list_jobs j ON j.id = s.job_id
                 LEFT JOIN list_versions v ON v.content_hash = j.to_version
                 WHERE s.id = ?1",
            )?
            .query_row([review_id], |row| {
                let result: String = row.get(2)?;
                let watch_list: WatchList = serde_json::from_str(&result).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(2, Type::Text, Box::new(e))
                })?;
                let first_status: Option<String> = row.get(9)?;
                let first_at: Option<String> = row.get(12)?;
                let first = match (
                    first_status.as_deref().and_then(CustomerStatus::parse),
                    first_at,
                ) {
                    (Some(status), Some(decided_at)) => Some((
                        Approval {
                            status,
                            decided_at,
                            decided_by: row.get::<_, Option<String>>(10)?.unwrap_or_default(),
                            note: row.get(13)?,
                        },
                        row.get::<_, Option<String>>(11)?.unwrap_or_default(),
                    )),
                    _ => None,
                };
                let decided_status: Option<String> = row.get(3)?;
                let decided_at: Option<String> = row.get(5)?;
                let decision = match (
                    decided_status.as_deref().and_then(CustomerStatus::parse),
                    &decided_at,
                ) {
                    (Some(status), Some(at)) => Some(ReviewDecision {
                        status,
                        decided_at: at.clone(),
                        decided_by: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
                        note: row.get(6)?,
                        first_approval: first.as_ref().map(|(approval, _)| approval.clone()),
                    }),
                    _ => None,
                };
                Ok(Stored {
                    screening: Screening {
                        review_id: row.get(0)?,
                        created_at: row.get(1)?,
                        watch_list,
                    },
                    decision,
                    list_update: row
                        .get::<_, Option<String>>(7)?
                        .map(|job_id| -> rusqlite::Result<_> {
                            Ok(ListUpdateMark {
                                job_id,
                                list_date: row.get(8)?,
                            })
                        })
                        .transpose()?,
                    first,
                })
            })
            .optional()?)
    }

    /// Records the analyst's decision on a screening.
    pub fn decide_screening(
        &self,
        review_id: &str,
        status: CustomerStatus,
        by: &str,
        at: &str,
        note: Option<&str>,
    ) -> StoreResult<()> {
        self.0.prepare_cached(
        "UPDATE screenings SET decided_status = ?2, decided_by = ?3, decided_at = ?4, note = ?5
         WHERE id = ?1",
    )?
    .execute(params![review_id, status.as_str(), by, at, note])?;
        Ok(())
    }

    /// Records the first of the two decisions four-eyes approval needs; `key` is the key that made it.
    pub fn record_first_approval(
        &self,
        review_id: &str,
        approval: &Approval,
        key: &str,
    ) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE screenings SET first_status = ?2, first_by = ?3, first_key = ?4, first_at = ?5,
                     first_note = ?6
                 WHERE id = ?1",
            )?
            .execute(params![
                review_id,
                approval.status.as_str(),
                approval.decided_by,
                key,
                approval.decided_at,
                approval.note
            ])?;
        Ok(())
    }

    /// Forgets a first decision that a second analyst disagreed with: the review goes back to the first.
    pub fn clear_first_approval(&self, review_id: &str) -> StoreResult<()> {
        self.0
            .prepare_cached(
                "UPDATE screenings SET first_status = NULL, first_by = NULL, first_key = NULL,
                     first_at = NULL, first_note = NULL
                 WHERE id = ?1",
            )?
            .execute([review_id])?;
        Ok(())
    }
}
