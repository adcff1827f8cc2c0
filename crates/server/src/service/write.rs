//! Runs a change in one write transaction with its Idempotency-Key: a retry with the same key and body gets
//! the stored first answer and changes nothing; the same key with another body is refused. The lookup, the
//! change and the stored answer commit together, so a crash or a racing retry can never apply it twice.

use std::sync::Arc;

use clearance_api::{Envelope, ResponseMeta, ResponseType};
use serde::Serialize;

use crate::domain::actor::Actor;
use crate::domain::customer::Record;
use crate::service::DomainError;
use crate::state::AppState;
use crate::store::{Conn, StoredReply};

/// HTTP status codes of the answers services store; the HTTP layer sends them as they are.
pub const OK: u16 = 200;
pub const CREATED: u16 = 201;

/// Who writes, under which Idempotency-Key, and what exactly they asked for (to tell a retry from a
/// different request under the same key).
pub struct Write {
    pub actor: Actor,
    pub key_id: String,
    pub idempotency_key: Option<String>,
    pub method: &'static str,
    pub path: String,
    pub body_hash: [u8; 32],
    /// The envelope's `meta` of this request; a replay answers with the first request's.
    pub meta: ResponseMeta,
}

/// An answer ready to store and send: a status and a JSON body.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    /// The customer the answer is about, so its stored copy goes when the customer is erased.
    pub customer_id: Option<String>,
    /// What a retry under the same Idempotency-Key answers, when it must differ from `body`: a secret is
    /// shown once, never stored.
    pub replay: Option<Vec<u8>>,
}

impl Answer {
    /// `data` in Straddle's object envelope.
    pub fn object<T: Serialize>(
        status: u16,
        customer_id: &str,
        data: T,
        meta: ResponseMeta,
    ) -> Result<Self, DomainError> {
        let body = serde_json::to_vec(&Envelope {
            data,
            meta,
            response_type: ResponseType::Object,
        })
        .map_err(|e| DomainError::Inconsistent(format!("encoding an answer: {e}")))?;
        Ok(Self {
            status,
            body,
            customer_id: Some(customer_id.to_owned()),
            replay: None,
        })
    }
}

/// Whether the change ran now or an earlier answer was replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ran {
    Now,
    Earlier,
}

/// What a write answered.
pub struct Written {
    pub answer: Answer,
    pub ran: Ran,
}

/// Runs `change` in a write transaction under the request's Idempotency-Key.
pub async fn run<F>(state: &Arc<AppState>, write: Write, change: F) -> Result<Written, DomainError>
where
    F: FnOnce(&AppState, &Conn<'_>, &Actor, ResponseMeta) -> Result<Answer, DomainError>
        + Send
        + 'static,
{
    let app = Arc::clone(state);
    state
        .store
        .write(move |tx| {
            if let Some(key) = &write.idempotency_key
                && let Some(stored) = tx.stored_reply(&write.key_id, key)?
            {
                let same = stored.method == write.method
                    && stored.path == write.path
                    && stored.body_hash == write.body_hash;
                if !same {
                    return Err(DomainError::IdempotencyMismatch);
                }
                return Ok(Written {
                    answer: Answer {
                        status: stored.status,
                        body: stored.response,
                        customer_id: stored.customer_id,
                        replay: None,
                    },
                    ran: Ran::Earlier,
                });
            }
            let answer = change(&app, tx, &write.actor, write.meta)?;
            if let Some(key) = &write.idempotency_key {
                tx.store_reply(
                    &write.key_id,
                    key,
                    &StoredReply {
                        customer_id: answer.customer_id.clone(),
                        method: write.method.to_owned(),
                        path: write.path,
                        body_hash: write.body_hash.to_vec(),
                        status: answer.status,
                        response: answer.replay.clone().unwrap_or_else(|| answer.body.clone()),
                    },
                )?;
            }
            Ok::<_, DomainError>(Written {
                answer,
                ran: Ran::Now,
            })
        })
        .await
}

/// A change answered with the customer it leaves, masked: updates, deletes, decisions and refreshes.
pub async fn change_customer<F>(
    state: &Arc<AppState>,
    write: Write,
    change: F,
) -> Result<Written, DomainError>
where
    F: FnOnce(&AppState, &Conn<'_>, &Actor) -> Result<Record, DomainError> + Send + 'static,
{
    run(state, write, move |state, tx, actor, meta| {
        let record = change(state, tx, actor)?;
        Answer::object(OK, &record.id, record.masked(), meta)
    })
    .await
}
