//! The `webhooks` and `webhook_deliveries` tables: registered endpoints and the durable outbox of the
//! messages owed to them.

use clearance_api::{
    DeliveryState, WebhookData, WebhookDelivery, WebhookEventType, WebhookMessage,
};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, params};

use super::{Conn, StoreResult, to_json};

/// A webhook as the sender needs it.
pub struct Endpoint {
    pub id: String,
    pub url: String,
    pub events: Vec<WebhookEventType>,
    pub created_at: String,
}

/// A message due for an attempt, with what signing and sending it takes.
pub struct Due {
    pub seq: i64,
    pub event_id: String,
    pub webhook_id: String,
    pub url: String,
    /// The signing key's bytes, or why the data keys cannot open them (a key file without the key that
    /// sealed them): that webhook's messages are then retried like undelivered ones, while every other
    /// webhook's go.
    pub secret: Result<Vec<u8>, String>,
    pub payload: String,
    pub created_at: String,
    pub attempts: u32,
}

/// How an attempt ended.
pub enum Attempt<'a> {
    /// The receiver answered with this 2xx status.
    Delivered(u16),
    /// Try again at `next`; none when the 24 hours are over.
    Retry {
        status: Option<u16>,
        error: Option<&'a str>,
        next: Option<&'a str>,
    },
}

fn parse_events(text: &str) -> rusqlite::Result<Vec<WebhookEventType>> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))
}

impl Conn<'_> {
    /// Registers a webhook whose signing key is `secret`, sealed with the current data key.
    pub fn create_webhook(&self, endpoint: &Endpoint, secret: &[u8]) -> StoreResult<()> {
        let (key, sealed) = self.1.seal(&endpoint.id, secret)?;
        self.0
            .prepare_cached(
                "INSERT INTO webhooks (id, url, events, secret, secret_key, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                endpoint.id,
                endpoint.url,
                to_json(&endpoint.events)?,
                sealed,
                key,
                endpoint.created_at
            ])?;
        Ok(())
    }

    /// Re-seals up to `limit` signing secrets held under other data keys than the current one; returns
    /// how many, so a rotation runs in short transactions until none are left that a key opens.
    pub fn reseal_webhook_secrets(&self, limit: usize) -> StoreResult<usize> {
        let current = self.1.current()?;
        let held: Vec<(String, Vec<u8>, String)> = self
            .0
            .prepare_cached(
                "SELECT id, secret, secret_key FROM webhooks WHERE secret_key != ?1 LIMIT ?2",
            )?
            .query_map(params![current, limit as i64], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut resealed = 0;
        for (id, sealed, key) in &held {
            // A secret no key opens stays as it is: the outbox reports it, and the rest are re-sealed.
            let Ok(secret) = self.1.open(key, id, sealed) else {
                continue;
            };
            let (key, sealed) = self.1.seal(id, &secret)?;
            self.0
                .prepare_cached("UPDATE webhooks SET secret = ?2, secret_key = ?3 WHERE id = ?1")?
                .execute(params![id, sealed, key])?;
            resealed += 1;
        }
        Ok(resealed)
    }

    pub fn webhook(&self, id: &str) -> StoreResult<Option<Endpoint>> {
        Ok(self
            .0
            .prepare_cached("SELECT id, url, events, created_at FROM webhooks WHERE id = ?1")?
            .query_row([id], |row| {
                Ok(Endpoint {
                    id: row.get(0)?,
                    url: row.get(1)?,
                    events: parse_events(&row.get::<_, String>(2)?)?,
                    created_at: row.get(3)?,
                })
            })
            .optional()?)
    }

    /// Puts a message in the outbox of every webhook subscribed to its type. Runs in the transaction of
    /// the change the message announces.
    pub fn enqueue_message(
        &self,
        data: &WebhookData,
        event_type: WebhookEventType,
        at: &str,
    ) -> StoreResult<()> {
        let mut subscribed = self
            .0
            .prepare_cached("SELECT id, events FROM webhooks")?
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    parse_events(&row.get::<_, String>(1)?)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        subscribed.retain(|(_, events)| events.contains(&event_type));
        if subscribed.is_empty() {
            return Ok(());
        }
        let event_id = format!("msg_{}", uuid::Uuid::now_v7().simple());
        let payload = to_json(&WebhookMessage {
            event_id: event_id.clone(),
            event_type,
            created_at: at.to_owned(),
            data: data.clone(),
        })?;
        let mut insert = self.0.prepare_cached(
            "INSERT INTO webhook_deliveries (event_id, webhook_id, customer_id, event_type, payload,
                 created_at, state, next_attempt_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?6)",
        )?;
        for (webhook_id, _) in subscribed {
            insert.execute(params![
                event_id,
                webhook_id,
                data.customer_id,
                event_type.as_str(),
                payload,
                at
            ])?;
        }
        Ok(())
    }

    /// Up to `limit` messages due at `now`, oldest first, each the earliest pending one of its customer
    /// for its webhook, so a customer's messages arrive in the order they happened.
    pub fn due_messages(&self, now: &str, limit: usize) -> StoreResult<Vec<Due>> {
        let mut statement = self.0.prepare_cached(
            "SELECT d.seq, d.event_id, w.url, w.id, w.secret, w.secret_key, d.payload, d.created_at,
                 d.attempts
             FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
             WHERE d.state = 'pending' AND d.next_attempt_at <= ?1
                 AND NOT EXISTS (
                     SELECT 1 FROM webhook_deliveries e
                     WHERE e.webhook_id = d.webhook_id AND e.customer_id = d.customer_id
                         AND e.state = 'pending' AND e.seq < d.seq)
             ORDER BY d.seq LIMIT ?2",
        )?;
        let rows = statement.query_map(params![now, limit as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Vec<u8>>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, String>(6)?,
                row.get::<_, String>(7)?,
                row.get::<_, u32>(8)?,
            ))
        })?;
        let mut due = Vec::new();
        // Each webhook's secret is opened once a call, however many of its messages are due.
        let mut secrets: std::collections::HashMap<String, Result<Vec<u8>, String>> =
            std::collections::HashMap::new();
        for row in rows {
            let (seq, event_id, url, webhook_id, sealed, key, payload, created_at, attempts) = row?;
            let secret = secrets
                .entry(webhook_id.clone())
                .or_insert_with(|| {
                    self.1
                        .open(&key, &webhook_id, &sealed)
                        .map_err(|e| e.to_string())
                })
                .clone();
            due.push(Due {
                seq,
                event_id,
                url,
                secret,
                webhook_id,
                payload,
                created_at,
                attempts,
            });
        }
        Ok(due)
    }

    /// Records how an attempt at the message `seq` ended.
    pub fn record_attempt(&self, seq: i64, at: &str, attempt: &Attempt<'_>) -> StoreResult<()> {
        match attempt {
            Attempt::Delivered(status) => {
                self.0
                    .prepare_cached(
                        "UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1,
                             delivered_at = ?2, next_attempt_at = NULL, last_status = ?3,
                             last_error = NULL
                         WHERE seq = ?1",
                    )?
                    .execute(params![seq, at, status])?;
            }
            Attempt::Retry {
                status,
                error,
                next,
            } => {
                self.0
                    .prepare_cached(
                        "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?2,
                             last_error = ?3, next_attempt_at = ?4,
                             state = CASE WHEN ?4 IS NULL THEN 'failed' ELSE 'pending' END
                         WHERE seq = ?1",
                    )?
                    .execute(params![seq, status, error, next])?;
            }
        }
        Ok(())
    }

    /// The webhook's deliveries, newest first, at most `limit`.
    pub fn deliveries(&self, webhook_id: &str, limit: usize) -> StoreResult<Vec<WebhookDelivery>> {
        let mut statement = self.0.prepare_cached(
            "SELECT event_id, event_type, customer_id, created_at, state, attempts, next_attempt_at,
                 last_status, last_error, delivered_at
             FROM webhook_deliveries WHERE webhook_id = ?1 ORDER BY seq DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![webhook_id, limit as i64], |row| {
            let bad = |i: usize, what: &str| {
                rusqlite::Error::FromSqlConversionFailure(i, Type::Text, what.to_owned().into())
            };
            let event_type: String = row.get(1)?;
            let state: String = row.get(4)?;
            Ok(WebhookDelivery {
                event_id: row.get(0)?,
                event_type: WebhookEventType::parse(&event_type)
                    .ok_or_else(|| bad(1, "event type"))?,
                customer_id: row.get(2)?,
                created_at: row.get(3)?,
                state: DeliveryState::parse(&state).ok_or_else(|| bad(4, "delivery state"))?,
                attempts: row.get(5)?,
                next_attempt_at: row.get(6)?,
                last_status: row.get(7)?,
                last_error: row.get(8)?,
                delivered_at: row.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use clearance_api::{EventAction, WebhookData, WebhookEventType};

    use super::Endpoint;
    use crate::store::{Conn, KeySource, Keyring};

    #[test]
    fn a_secret_the_data_keys_cannot_open_holds_back_only_its_own_webhook() {
        let dir = tempfile::tempdir().unwrap();
        let raw = crate::store::open(&dir.path().join("w.db")).unwrap();
        let keyring = Keyring::load(KeySource::Text(
            super::super::keyring::new_key_line().unwrap(),
        ))
        .unwrap();
        let conn = Conn(&raw, &keyring);
        for id in ["wh_readable", "wh_lost"] {
            let endpoint = Endpoint {
                id: id.to_owned(),
                url: format!("http://127.0.0.1:9/{id}"),
                events: vec![WebhookEventType::CustomerEvent],
                created_at: "2026-12-08T00:00:00.000Z".to_owned(),
            };
            conn.create_webhook(&endpoint, b"a signing secret").unwrap();
        }
        // As after a rotation whose old key was then removed from the key file.
        raw.execute(
            "UPDATE webhooks SET secret_key = 'key_removed' WHERE id = 'wh_lost'",
            [],
        )
        .unwrap();
        let data = WebhookData {
            customer_id: "c1".to_owned(),
            action: EventAction::Decided,
            status_before: None,
            status: None,
            review_id: None,
        };
        conn.enqueue_message(
            &data,
            WebhookEventType::CustomerEvent,
            "2026-12-08T00:00:01.000Z",
        )
        .unwrap();
        let due = conn.due_messages("2026-12-08T00:01:00.000Z", 10).unwrap();
        let secrets: Vec<(&str, bool)> = due
            .iter()
            .map(|d| (d.webhook_id.as_str(), d.secret.is_ok()))
            .collect();
        assert_eq!(secrets, [("wh_readable", true), ("wh_lost", false)]);
    }
}
