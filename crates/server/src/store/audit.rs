//! The append-only audit log (the schema's triggers refuse any change to a written row).

use clearance_api::{AuditEvent, CustomerStatus, EventAction, WebhookData, WebhookEventType};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, params};

use super::{Conn, StoreResult};
use crate::domain::actor::Actor;

/// One row to append.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub customer_id: &'a str,
    pub action: EventAction,
    pub status_before: Option<CustomerStatus>,
    pub status_after: Option<CustomerStatus>,
    pub fields: Vec<String>,
    pub review_id: Option<&'a str>,
    pub entities: Vec<String>,
    pub note: Option<&'a str>,
}

impl<'a> Entry<'a> {
    pub fn new(customer_id: &'a str, action: EventAction) -> Self {
        Self {
            customer_id,
            action,
            status_before: None,
            status_after: None,
            fields: Vec::new(),
            review_id: None,
            entities: Vec::new(),
            note: None,
        }
    }
}

fn json_list(items: &[String]) -> rusqlite::Result<Option<String>> {
    if items.is_empty() {
        return Ok(None);
    }
    serde_json::to_string(items)
        .map(Some)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

impl Conn<'_> {
    /// Appends the row, and puts the message that announces it in the webhooks' outbox.
    pub fn append_event(&self, actor: &Actor, entry: &Entry<'_>) -> StoreResult<()> {
        let at = crate::clock::now();
        self.0.prepare_cached(
        "INSERT INTO events (customer_id, at, action, actor, role, status_before, status_after,
             api_request_id, request_id, correlation_id, fields, review_id, entities, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        entry.customer_id,
        at,
        entry.action.as_str(),
        actor.actor,
        actor.role,
        entry.status_before.map(CustomerStatus::as_str),
        entry.status_after.map(CustomerStatus::as_str),
        actor.api_request_id,
        actor.request_id,
        actor.correlation_id,
        json_list(&entry.fields)?,
        entry.review_id,
        json_list(&entry.entities)?,
        entry.note,
    ])?;
        if let Some(event_type) = WebhookEventType::of(entry.action) {
            let data = WebhookData {
                customer_id: entry.customer_id.to_owned(),
                action: entry.action,
                status_before: entry.status_before,
                status: entry.status_after,
                review_id: entry.review_id.map(str::to_owned),
            };
            self.enqueue_message(&data, event_type, &at)?;
        }
        Ok(())
    }

    /// The status a customer had when it was last made inactive, from the audit log.
    pub fn status_before_deactivation(
        &self,
        customer_id: &str,
    ) -> StoreResult<Option<CustomerStatus>> {
        let before: Option<Option<String>> = self
            .0
            .prepare_cached(
                "SELECT status_before FROM events
                 WHERE customer_id = ?1 AND status_after = 'inactive' AND status_before <> 'inactive'
                 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([customer_id], |row| row.get(0))
            .optional()?;
        Ok(before.flatten().as_deref().and_then(CustomerStatus::parse))
    }

    /// Every row about one customer, oldest first.
    pub fn events(&self, customer_id: &str) -> StoreResult<Vec<AuditEvent>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE customer_id = ?1 ORDER BY id"
        ))?;
        let events = stmt
            .query_map([customer_id], event_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }

    /// Up to `limit` rows written in [`from`, `to`) with an id above `after`, oldest first: one page of
    /// an export, which pages by id so it never holds more than a page.
    pub fn events_between(
        &self,
        from: &str,
        to: &str,
        after: i64,
        limit: usize,
    ) -> StoreResult<Vec<AuditEvent>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE id > ?1 AND at >= ?2 AND at < ?3
             ORDER BY id LIMIT ?4"
        ))?;
        let events = stmt
            .query_map(params![after, from, to, limit as i64], event_from)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }
}

const EVENT_COLUMNS: &str = "id, customer_id, at, action, actor, role, status_before, status_after, \
                             api_request_id, request_id, correlation_id, fields, review_id, entities, note";

/// A row of [`EVENT_COLUMNS`] as an event.
fn event_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEvent> {
    let list = |i: usize, text: Option<String>| -> rusqlite::Result<Vec<String>> {
        text.map_or(Ok(Vec::new()), |t| {
            serde_json::from_str(&t)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
        })
    };
    let status = |text: Option<String>| text.as_deref().and_then(CustomerStatus::parse);
    let action: String = row.get(3)?;
    Ok(AuditEvent {
        id: row.get(0)?,
        customer_id: row.get(1)?,
        at: row.get(2)?,
        action: EventAction::parse(&action).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(3, Type::Text, "event action".into())
        })?,
        actor: row.get(4)?,
        role: row.get(5)?,
        status_before: status(row.get(6)?),
        status_after: status(row.get(7)?),
        api_request_id: row.get(8)?,
        request_id: row.get(9)?,
        correlation_id: row.get(10)?,
        fields: list(11, row.get(11)?)?,
        review_id: row.get(12)?,
        entities: list(13, row.get(13)?)?,
        note: row.get(14)?,
    })
}
