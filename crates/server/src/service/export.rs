//! The audit export for examiners: every audit row in a time window, oldest first, with what each
//! screening and decision rested on (the list snapshot, the names screened, the matches with their token
//! evidence and decisions, the review decision and its approvers). It streams a page of rows at a time, so
//! any number of rows exports in the memory of one page.

use std::sync::Arc;

use bytes::Bytes;
use clearance_api::{AuditEvent, AuditRecord, ListSnapshotRef};
use futures_util::Stream;

use crate::service::DomainError;
use crate::state::AppState;
use crate::store::Conn;

/// Rows read and sent at once.
const PAGE: usize = 500;

/// How the export is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line: an [`AuditRecord`].
    Ndjson,
    /// One row per audit row, the nested parts as JSON cells.
    Csv,
}

/// The rows written in [`from`, `to`), encoded page by page.
pub fn stream(
    state: Arc<AppState>,
    from: String,
    to: String,
    format: Format,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::unfold(Some((0i64, true)), move |cursor| {
        let (state, from, to) = (Arc::clone(&state), from.clone(), to.clone());
        async move {
            let (after, first) = cursor?;
            let page = state
                .store
                .read(move |conn| page(conn, &from, &to, after))
                .await;
            let records = match page {
                Ok(records) => records,
                Err(error) => {
                    tracing::error!(%error, "the audit export stopped");
                    return Some((Err(std::io::Error::other("the export stopped")), None));
                }
            };
            let last = records.last().map(|r| r.event.id);
            if last.is_none() && !(first && format == Format::Csv) {
                return None;
            }
            let chunk = match encode(&records, format, first) {
                Ok(chunk) => chunk,
                Err(error) => return Some((Err(error), None)),
            };
            Some((Ok(Bytes::from(chunk)), last.map(|id| (id, false))))
        }
    })
}

/// One page of records after the row `after`.
fn page(
    conn: &Conn<'_>,
    from: &str,
    to: &str,
    after: i64,
) -> Result<Vec<AuditRecord>, DomainError> {
    conn.events_between(from, to, after, PAGE)?
        .into_iter()
        .map(|event| record(conn, event))
        .collect()
}

/// The row with its screening's evidence and decision, while the screening is stored.
fn record(conn: &Conn<'_>, event: AuditEvent) -> Result<AuditRecord, DomainError> {
    let mut record = AuditRecord {
        event,
        list_snapshot: None,
        query_names: Vec::new(),
        matches: Vec::new(),
        decision: None,
    };
    let Some(review_id) = record.event.review_id.clone() else {
        return Ok(record);
    };
    let Some(stored) = conn.screening(&review_id)? else {
        return Ok(record);
    };
    let mut watch_list = stored.screening.watch_list;
    conn.attach_decisions(&review_id, &mut watch_list)?;
    let label = conn.version_label(&watch_list.list_version)?;
    record.list_snapshot = Some(ListSnapshotRef {
        content_hash: watch_list.list_version,
        publisher: label.as_ref().map(|(publisher, _)| publisher.clone()),
        date: label.and_then(|(_, date)| date),
    });
    record.query_names = watch_list.screened_names;
    record.matches = watch_list.matches;
    record.decision = stored.decision;
    Ok(record)
}

const CSV_HEADER: [&str; 20] = [
    "id",
    "at",
    "customer_id",
    "action",
    "actor",
    "role",
    "status_before",
    "status_after",
    "review_id",
    "entities",
    "note",
    "list_publisher",
    "list_date",
    "list_hash",
    "query_names",
    "matches",
    "decision",
    "decided_by",
    "decided_at",
    "first_approval_by",
];

fn encode(records: &[AuditRecord], format: Format, first: bool) -> Result<Vec<u8>, std::io::Error> {
    match format {
        Format::Ndjson => {
            let mut out = Vec::new();
            for record in records {
                serde_json::to_writer(&mut out, record)?;
                out.push(b'\n');
            }
            Ok(out)
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            if first {
                writer.write_record(CSV_HEADER)?;
            }
            for record in records {
                writer.write_record(csv_row(record)?)?;
            }
            writer
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))
        }
    }
}

/// A cell a spreadsheet would read as a formula (`=`, `+`, `-`, `@` first) gets a `'` before it, so an
/// examiner opening the file runs nothing an analyst's note or a key's label wrote.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn csv_row(record: &AuditRecord) -> Result<[String; 20], std::io::Error> {
    let e = &record.event;
    let text = |value: Option<&str>| cell(value.unwrap_or_default());
    let status = |s: Option<clearance_api::CustomerStatus>| text(s.map(|s| s.as_str()));
    let snapshot = record.list_snapshot.as_ref();
    let decision = record.decision.as_ref();
    Ok([
        e.id.to_string(),
        e.at.clone(),
        e.customer_id.clone(),
        e.action.as_str().to_owned(),
        cell(&e.actor),
        cell(&e.role),
        status(e.status_before),
        status(e.status_after),
        text(e.review_id.as_deref()),
        cell(&e.entities.join(" | ")),
        text(e.note.as_deref()),
        text(snapshot.and_then(|s| s.publisher.as_deref())),
        text(snapshot.and_then(|s| s.date.as_deref())),
        text(snapshot.map(|s| s.content_hash.as_str())),
        cell(&record.query_names.join(" | ")),
        if record.matches.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&record.matches)?
        },
        status(decision.map(|d| d.status)),
        text(decision.map(|d| d.decided_by.as_str())),
        text(decision.map(|d| d.decided_at.as_str())),
        text(
            decision
                .and_then(|d| d.first_approval.as_ref())
                .map(|a| a.decided_by.as_str()),
        ),
    ])
}
