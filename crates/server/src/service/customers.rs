//! Customers: create and update (screening on every write that changes who the customer is), read, list,
//! the audited unmask, erasure, and the audit log of one customer.

use std::sync::Arc;

use clearance_api::{
    AuditEvent, CustomerRequest, CustomerStatus, CustomerSummary, EventAction, ProcessingMethod,
};

use crate::domain::customer::{Pii, Record};
use crate::domain::update::{self, Nulls};
use crate::domain::validate::{self, Refused};
use crate::service::rescreen;
use crate::service::status;
use crate::service::write::{self, Answer, Ran, Write, Written};
use crate::service::{DomainError, existing};
use crate::state::AppState;
use crate::store::audit::Entry;
use crate::store::{Conn, Filter, Page};

/// The request fields a create or update set, for the audit row (names, never values).
fn given_fields(req: &CustomerRequest) -> Vec<String> {
    let mut fields = Vec::new();
    let mut add = |present: bool, name: &str| {
        if present {
            fields.push(name.to_owned());
        }
    };
    add(req.name.is_some(), "name");
    add(req.email.is_some(), "email");
    add(req.phone.is_some(), "phone");
    add(req.device.is_some(), "device");
    add(req.address.is_some(), "address");
    if let Some(profile) = &req.compliance_profile {
        add(profile.dob.is_some(), "compliance_profile.dob");
        add(profile.ssn.is_some(), "compliance_profile.ssn");
        add(profile.ein.is_some(), "compliance_profile.ein");
        add(
            profile.legal_business_name.is_some(),
            "compliance_profile.legal_business_name",
        );
        add(
            profile.representatives.is_some(),
            "compliance_profile.representatives",
        );
        add(profile.website.is_some(), "compliance_profile.website");
    }
    add(req.config.is_some(), "config");
    add(req.external_id.is_some(), "external_id");
    add(req.metadata.is_some(), "metadata");
    add(req.status.is_some(), "status");
    fields
}

/// Validates, screens (unless deferred or skipped) and stores a new customer; answers 201 with it masked.
/// A `background` customer is screened after the answer.
pub async fn create(
    state: &Arc<AppState>,
    write: Write,
    req: CustomerRequest,
) -> Result<Written, DomainError> {
    let valid = validate::create(&req, state.mode).map_err(DomainError::Validation)?;
    let fields = given_fields(&req);
    let method = status::processing_method(valid.profile.config.as_ref());
    let now = write.meta.api_request_timestamp.clone();
    let mut record = Record {
        id: uuid::Uuid::now_v7().to_string(),
        customer_type: valid.customer_type,
        status: CustomerStatus::Pending,
        name: valid.name,
        email: valid.email,
        phone: valid.phone,
        external_id: valid.external_id,
        created_at: now.clone(),
        updated_at: now,
        version: 1,
        review_id: None,
        top_score: None,
        top_match: None,
        assignee: None,
        review_since: None,
        profile: valid.profile,
    };
    let id = record.id.clone();
    // Screen before taking the write lock, so screenings run on both cores while writes queue.
    let precomputed = if method == ProcessingMethod::Inline {
        Some(rescreen::screen_outside(state, record.clone()).await?)
    } else {
        None
    };
    let written = write::run(state, write, move |app, tx, actor, meta| {
        unique(tx, &record, None)?;
        let screening = precomputed.map(|p| rescreen::fitting(app, &record, Some(p)));
        if let Some(screening) = &screening {
            let config = record.profile.config.clone();
            status::attach(&mut record, screening, |s| {
                status::screened_status(s, config.as_ref())
            });
        }
        tx.insert_customer(&record)?;
        if let Some(screening) = &screening {
            tx.insert_screening(&record.id, screening, None)?;
        }
        tx.append_event(
            actor,
            &Entry {
                status_after: Some(record.status),
                fields,
                review_id: screening.as_ref().map(|s| s.review_id.as_str()),
                entities: screening.as_ref().map(|s| s.entities()).unwrap_or_default(),
                ..Entry::new(&record.id, EventAction::Created)
            },
        )?;
        Answer::object(write::CREATED, &record.id, record.masked(), meta)
    })
    .await?;
    if method == ProcessingMethod::Background && written.ran == Ran::Now {
        let state = Arc::clone(state);
        tokio::task::spawn_blocking(
            move || match rescreen::screen_in_background(&state, &id, 1) {
                Ok(screened) => {
                    tracing::debug!(customer = id, screened, "background screening done")
                }
                Err(error) => {
                    tracing::error!(%error, customer = id, "background screening failed");
                }
            },
        );
    }
    Ok(written)
}

/// One stored customer.
pub async fn get(state: &AppState, id: String) -> Result<Record, DomainError> {
    state.store.read(move |conn| existing(conn, &id)).await
}

/// Applies an update: only the fields given change, and those set to `null` are cleared (see
/// `domain::update`). Re-screens when a name or the date of birth changed, or when `status: pending` asks
/// for it (which also reactivates an inactive customer).
pub async fn update(
    state: &Arc<AppState>,
    write: Write,
    id: String,
    req: CustomerRequest,
    nulls: Nulls,
) -> Result<Written, DomainError> {
    let mut fields = given_fields(&req);
    fields.extend(nulls.paths().map(str::to_owned));
    // Screen the customer as the update leaves it before taking the write lock; inside, the screening is
    // used when nobody wrote the customer in between.
    let stored = state.store.read({
        let id = id.clone();
        move |conn| conn.customer(&id)
    });
    let precomputed = match stored.await?.map(|r| updated(&r, &req, &nulls, state.mode)) {
        Some(Ok(change)) if change.screen => {
            Some(rescreen::screen_outside(state, change.record).await?)
        }
        _ => None,
    };
    write::change_customer(state, write, move |state, tx, actor| {
        let before = existing(tx, &id)?;
        let Updated {
            mut record,
            screen,
            mut start,
            status,
        } = updated(&before, &req, &nulls, state.mode)?;
        if before.status == CustomerStatus::Inactive && start == CustomerStatus::Pending {
            start = rescreen::reactivated(tx, &id)?;
        }
        unique(tx, &record, Some(&before))?;
        if !record.same_identity(&before) {
            tx.void_cleared(&id, &crate::clock::now())?;
        }
        let screening = if screen {
            let config = record.profile.config.clone();
            Some(rescreen::apply_screening(
                state,
                tx,
                &mut record,
                precomputed,
                None,
                actor,
                |s| status::rescreened_status(start, s, config.as_ref()),
            )?)
        } else {
            record.status = start;
            None
        };
        if status == Some(CustomerStatus::Inactive) {
            record.status = CustomerStatus::Inactive;
        }
        tx.update_customer(&record)?;
        record.version += 1;
        tx.append_event(
            actor,
            &Entry {
                status_before: Some(before.status),
                status_after: Some(record.status),
                fields,
                review_id: screening.as_ref().map(|s| s.review_id.as_str()),
                entities: screening.as_ref().map(|s| s.entities()).unwrap_or_default(),
                ..Entry::new(&record.id, EventAction::Updated)
            },
        )?;
        Ok(record)
    })
    .await
}

/// Refuses `record` when another customer holds its email or external id: both on create, and on an update
/// (`before` is the stored customer) only those it changes, so a value it already held stays its own.
fn unique(tx: &Conn<'_>, record: &Record, before: Option<&Record>) -> Result<(), DomainError> {
    let email = Some(record.email.as_str())
        .filter(|_| before.is_none_or(|b| !record.email.eq_ignore_ascii_case(&b.email)));
    let external_id = record
        .external_id
        .as_deref()
        .filter(|_| before.is_none_or(|b| record.external_id != b.external_id));
    let taken = tx.taken_by_others(&record.id, email, external_id)?;
    if taken.is_empty() {
        Ok(())
    } else {
        Err(DomainError::taken(&taken))
    }
}

/// What an update makes of a stored customer, before any screening.
struct Updated {
    /// The customer with the update applied, at the stored version.
    record: Record,
    /// Whether it must be screened: a name or the date of birth changed, or `status: pending` asked.
    screen: bool,
    /// The status screening starts from (`pending` for a reactivated customer, `review` for one
    /// deactivated in review), or the status kept when there is no screening.
    start: CustomerStatus,
    /// The `status` the request gave.
    status: Option<CustomerStatus>,
}

/// Applies `req` to `stored` by the update rules (`domain::update`) and validates the result.
fn updated(
    stored: &Record,
    req: &CustomerRequest,
    nulls: &Nulls,
    mode: validate::Mode,
) -> Result<Updated, DomainError> {
    let before = stored.status;
    let merged = update::merged(stored, req, nulls);
    let valid = validate::update(req, nulls, &merged, stored.customer_type, before, mode).map_err(
        |refused| match refused {
            Refused::Invalid(items) => DomainError::Validation(items),
            Refused::Conflict(items) => DomainError::Conflicts(items),
        },
    )?;
    let dob = |r: &Record| {
        r.profile
            .compliance_profile
            .as_ref()
            .and_then(|p| p.dob().cloned())
    };
    let mut record = stored.clone();
    record.name = valid.name;
    record.email = valid.email;
    record.phone = valid.phone;
    record.external_id = valid.external_id;
    record.profile = valid.profile;
    record.updated_at = crate::clock::now();
    let identity_changed =
        record.screened_names() != stored.screened_names() || dob(&record) != dob(stored);
    let asked = valid.status == Some(CustomerStatus::Pending) && before != CustomerStatus::Pending;
    let skip = status::processing_method(record.profile.config.as_ref()) == ProcessingMethod::Skip;
    Ok(Updated {
        record,
        screen: (identity_changed || asked) && !skip,
        start: if asked && before == CustomerStatus::Inactive {
            CustomerStatus::Pending
        } else {
            before
        },
        status: valid.status,
    })
}

/// Erases the customer, its screenings (which hold its name) and the stored answers about it; the audit
/// rows stay, and say it was deleted. Then checkpoints, so no older copy of the erased pages stays in the
/// log.
pub async fn delete(
    state: &Arc<AppState>,
    write: Write,
    id: String,
) -> Result<Written, DomainError> {
    let written = write::change_customer(state, write, move |_, tx, actor| {
        let record = existing(tx, &id)?;
        tx.delete_customer(&id)?;
        tx.forget_replies_about(&id)?;
        // Earlier deletes' own answers, kept for their keys' 24 hours, go once those are over.
        tx.expire_replies()?;
        tx.append_event(
            actor,
            &Entry {
                status_before: Some(record.status),
                ..Entry::new(&id, EventAction::Deleted)
            },
        )?;
        Ok(record)
    })
    .await?;
    if !state.store.checkpoint().await? {
        tracing::warn!("checkpoint after an erasure was partial; the next one completes it");
    }
    Ok(written)
}

/// The customer in the clear, for the one audited read that returns it; the audit row names the fields
/// shown.
pub async fn unmask(
    state: &AppState,
    actor: crate::domain::actor::Actor,
    id: String,
) -> Result<Record, DomainError> {
    state
        .store
        .write(move |tx| {
            let record = existing(tx, &id)?;
            let fields = match &record.profile.compliance_profile {
                Some(Pii::Individual { .. }) => {
                    vec![
                        "compliance_profile.dob".into(),
                        "compliance_profile.ssn".into(),
                    ]
                }
                Some(Pii::Business { .. }) => {
                    vec!["compliance_profile.ein".into()]
                }
                None => Vec::new(),
            };
            tx.append_event(
                &actor,
                &Entry {
                    status_before: Some(record.status),
                    status_after: Some(record.status),
                    fields,
                    ..Entry::new(&id, EventAction::Unmasked)
                },
            )?;
            Ok(record)
        })
        .await
}

/// The audit log of one customer, oldest first; there is one after the customer is deleted, too.
pub async fn events(state: &AppState, id: String) -> Result<Vec<AuditEvent>, DomainError> {
    state
        .store
        .read(move |conn| {
            let events = conn.events(&id)?;
            if events.is_empty() {
                return Err(DomainError::NotFound(id));
            }
            Ok(events)
        })
        .await
}

/// One page of customers and how many match.
pub async fn list(
    state: &AppState,
    filter: Filter,
    page: Page,
) -> Result<(Vec<CustomerSummary>, u64), DomainError> {
    let (rows, total) = state
        .store
        .read(move |conn| conn.list_customers(&filter, page))
        .await?;
    let rows = rows
        .into_iter()
        .map(|row| row.record.summary(state.review_sla, row.awaiting_approval))
        .collect();
    Ok((rows, total))
}
