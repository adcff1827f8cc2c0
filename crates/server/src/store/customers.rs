//! The `customers` table: one row per live customer. A deleted customer's row goes entirely (its PII with
//! it); its audit rows stay.

use clearance_api::{Approval, CustomerStatus, CustomerType, SortBy, SortOrder};
use rusqlite::types::Type;
use rusqlite::{OptionalExtension, Row, ToSql, params};

use super::{Conn, StoreError, StoreResult, to_json};
use crate::domain::customer::{Profile, Record};

const COLUMNS: &str = "id, type, status, name, email, phone, external_id, created_at, updated_at, \
                       version, review_id, top_score, profile, pii, pii_key, assignee, review_since, \
                       top_match";

/// [`COLUMNS`] with the sealed profile left out (a list page shows no PII, so it opens none), and the
/// first decision of a four-eyes approval in progress, as JSON: a correlated lookup only for the rows in
/// review.
const SUMMARY_COLUMNS: &str = "id, type, status, name, email, phone, external_id, created_at, \
    updated_at, version, review_id, top_score, profile, NULL, NULL, assignee, review_since, top_match, \
    CASE WHEN status = 'review' THEN (SELECT json_object('status', s.first_status, 'decided_by', \
        s.first_by, 'decided_at', s.first_at, 'note', s.first_note) FROM screenings s \
        WHERE s.id = customers.review_id AND s.first_status IS NOT NULL AND s.decided_status IS NULL) END";

/// A row of the customer list.
pub struct Listed {
    pub record: Record,
    /// Under four-eyes approval, the first analyst's decision while the second is awaited.
    pub awaiting_approval: Option<Approval>,
}

fn json_column<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    i: usize,
) -> rusqlite::Result<Option<T>> {
    row.get::<_, Option<String>>(i)?
        .map(|text| {
            serde_json::from_str(&text)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
        })
        .transpose()
}

/// A sealed compliance profile and the key that sealed it.
struct Sealed {
    pii: Option<Vec<u8>>,
    key: Option<String>,
}

impl Conn<'_> {
    /// A row as a record, its compliance profile opened with the data keys.
    fn record_from(&self, row: &Row<'_>) -> rusqlite::Result<Record> {
        let text = |i: usize| row.get::<_, String>(i);
        let bad = |i: usize, what: &str| {
            rusqlite::Error::FromSqlConversionFailure(i, Type::Text, what.to_owned().into())
        };
        let id = text(0)?;
        let mut profile: Profile = serde_json::from_str(&text(12)?)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(12, Type::Text, Box::new(e)))?;
        let (pii, key): (Option<Vec<u8>>, Option<String>) = (row.get(13)?, row.get(14)?);
        if let (Some(sealed), Some(key)) = (pii, key) {
            let unreadable = |e: StoreError| {
                rusqlite::Error::FromSqlConversionFailure(13, Type::Blob, Box::new(e))
            };
            let clear = self.1.open(&key, &id, &sealed).map_err(unreadable)?;
            profile.compliance_profile = Some(
                serde_json::from_slice(&clear).map_err(|e| unreadable(StoreError::Profile(e)))?,
            );
        }
        Ok(Record {
            customer_type: CustomerType::parse(&text(1)?).ok_or_else(|| bad(1, "customer type"))?,
            status: CustomerStatus::parse(&text(2)?).ok_or_else(|| bad(2, "customer status"))?,
            name: text(3)?,
            email: text(4)?,
            phone: text(5)?,
            external_id: row.get(6)?,
            created_at: text(7)?,
            updated_at: text(8)?,
            version: row.get(9)?,
            review_id: row.get(10)?,
            top_score: row.get(11)?,
            profile,
            assignee: row.get(15)?,
            review_since: row.get(16)?,
            top_match: json_column(row, 17)?,
            id,
        })
    }

    /// The profile without its compliance profile, as JSON, and that sealed under the current key for
    /// the customer `id`.
    fn seal(&self, id: &str, profile: &Profile) -> StoreResult<(String, Sealed)> {
        let open = Profile {
            compliance_profile: None,
            ..profile.clone()
        };
        let sealed = match &profile.compliance_profile {
            Some(pii) => {
                let clear = serde_json::to_vec(pii).map_err(StoreError::Profile)?;
                let (key, sealed) = self.1.seal(id, &clear)?;
                Sealed {
                    pii: Some(sealed),
                    key: Some(key),
                }
            }
            None => Sealed {
                pii: None,
                key: None,
            },
        };
        Ok((to_json(&open)?, sealed))
    }

    /// Seals the compliance profiles an earlier version stored in the clear; returns how many.
    pub fn seal_legacy_profiles(&self) -> StoreResult<usize> {
        let legacy: Vec<(String, String)> = self
            .0
            .prepare(
                "SELECT id, profile FROM customers
                 WHERE pii IS NULL AND json_extract(profile, '$.compliance_profile') IS NOT NULL",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (id, profile) in &legacy {
            let profile: Profile = serde_json::from_str(profile).map_err(StoreError::Profile)?;
            self.store_sealed(id, &profile)?;
        }
        Ok(legacy.len())
    }

    /// Re-seals up to `limit` compliance profiles held under other keys than the current one; returns how
    /// many, so a rotation runs in short transactions until none are left.
    pub fn reseal_batch(&self, limit: usize) -> StoreResult<usize> {
        let current = self.1.current()?;
        let ids: Vec<String> = self
            .0
            .prepare_cached("SELECT id FROM customers WHERE pii_key != ?1 LIMIT ?2")?
            .query_map(params![current, limit as i64], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            if let Some(record) = self.customer(id)? {
                self.store_sealed(id, &record.profile)?;
            }
        }
        Ok(ids.len())
    }

    fn store_sealed(&self, id: &str, profile: &Profile) -> StoreResult<()> {
        let (open, sealed) = self.seal(id, profile)?;
        self.0
            .prepare_cached(
                "UPDATE customers SET profile = ?2, pii = ?3, pii_key = ?4 WHERE id = ?1",
            )?
            .execute(params![id, open, sealed.pii, sealed.key])?;
        Ok(())
    }
}

impl Conn<'_> {
    pub fn insert_customer(&self, r: &Record) -> StoreResult<()> {
        let (profile, sealed) = self.seal(&r.id, &r.profile)?;
        self.0.prepare_cached(
        // `seq` above everything the substring index holds, even where the newest customer was deleted.
        "INSERT INTO customers (seq, id, type, status, name, name_key, email, email_key, phone, external_id,
             created_at, updated_at, version, review_id, top_score, profile, pii, pii_key, assignee,
             review_since, top_match)
         VALUES (max((SELECT coalesce(max(seq), 0) FROM customers), (SELECT upto FROM text_indexed)) + 1,
             ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             CASE WHEN ?3 = 'review' THEN ?11 END, ?19)",
    )?
    .execute(params![
        r.id,
        r.customer_type.as_str(),
        r.status.as_str(),
        r.name,
        r.name.to_lowercase(),
        r.email,
        r.email.to_lowercase(),
        r.phone,
        r.external_id,
        r.created_at,
        r.updated_at,
        r.version,
        r.review_id,
        r.top_score,
        profile,
        sealed.pii,
        sealed.key,
        r.assignee,
        r.top_match.as_ref().map(to_json).transpose()?,
    ])?;
        Ok(())
    }

    /// Writes every column of `r`, bumping the version; returns false when the stored version is no longer
    /// `r.version` (someone else wrote first).
    pub fn update_customer(&self, r: &Record) -> StoreResult<bool> {
        let (profile, sealed) = self.seal(&r.id, &r.profile)?;
        let changed = self.0
        .prepare_cached(
            "UPDATE customers SET status = ?2, name = ?3, name_key = ?4, email = ?5, email_key = ?6,
                 phone = ?7, external_id = ?8, updated_at = ?9, version = version + 1, review_id = ?10,
                 top_score = ?11, profile = ?12, pii = ?14, pii_key = ?15,
                 assignee = CASE WHEN ?2 = 'review' THEN ?16 END, top_match = ?17,
                 review_since = CASE WHEN ?2 = 'review' THEN coalesce(review_since, ?9) END
             WHERE id = ?1 AND version = ?13",
        )?
        .execute(params![
            r.id,
            r.status.as_str(),
            r.name,
            r.name.to_lowercase(),
            r.email,
            r.email.to_lowercase(),
            r.phone,
            r.external_id,
            r.updated_at,
            r.review_id,
            r.top_score,
            profile,
            r.version,
            sealed.pii,
            sealed.key,
            r.assignee,
            r.top_match.as_ref().map(to_json).transpose()?,
        ])?;
        Ok(changed == 1)
    }

    pub fn customer(&self, id: &str) -> StoreResult<Option<Record>> {
        Ok(self
            .0
            .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
            .query_row([id], |row| self.record_from(row))
            .optional()?)
    }

    /// The customer an EasyOFAC caller means: Clearance's id first, which is unique, else the oldest
    /// customer with that external_id (EasyOFAC's "ID by which you refer to the customer").
    pub fn customer_by_reference(&self, reference: &str) -> StoreResult<Option<Record>> {
        if let Some(record) = self.customer(reference)? {
            return Ok(Some(record));
        }
        Ok(self
            .0
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM customers WHERE external_id = ?1 ORDER BY created_at LIMIT 1"
            ))?
            .query_row([reference], |row| self.record_from(row))
            .optional()?)
    }

    /// Which of the given unique values a customer other than `id` already holds: the email (compared
    /// without case, as the list filter compares it) and the external id.
    pub fn taken_by_others(
        &self,
        id: &str,
        email: Option<&str>,
        external_id: Option<&str>,
    ) -> StoreResult<Vec<&'static str>> {
        let mut taken = Vec::new();
        if let Some(email) = email {
            let held = self
                .0
                .prepare_cached(
                    "SELECT 1 FROM customers WHERE email_key = ?1 AND id <> ?2 LIMIT 1",
                )?
                .exists(params![email.to_lowercase(), id])?;
            if held {
                taken.push("email");
            }
        }
        if let Some(external_id) = external_id {
            let held = self
                .0
                .prepare_cached(
                    "SELECT 1 FROM customers WHERE external_id = ?1 AND id <> ?2 LIMIT 1",
                )?
                .exists(params![external_id, id])?;
            if held {
                taken.push("external_id");
            }
        }
        Ok(taken)
    }

    /// Deletes the customer, then merges the text index so the erased name's trigrams leave it too (a delete
    /// alone only marks them).
    pub fn delete_customer(&self, id: &str) -> StoreResult<()> {
        self.0
            .prepare_cached("DELETE FROM customers WHERE id = ?1")?
            .execute([id])?;
        self.0.execute(
            "INSERT INTO customers_text (customers_text) VALUES ('optimize')",
            [],
        )?;
        Ok(())
    }

    /// Customers from `after_seq` up to `upto_seq` that have a screening, as a list update's scan reads
    /// them: the name and type without decrypting anything, the list version screened on, and the matched
    /// entries (`OFAC SDN 12345`) of a screening that matched.
    pub fn scan_screened(
        &self,
        after_seq: i64,
        upto_seq: i64,
        limit: usize,
    ) -> StoreResult<Vec<Scanned>> {
        let mut statement = self.0.prepare_cached(
            "SELECT c.seq, c.id, c.type, c.name, c.review_id, s.list_version,
                 CASE WHEN c.top_score IS NOT NULL THEN
                     (SELECT json_group_array(json_extract(m.value, '$.list_name') || ' ' ||
                         json_extract(m.value, '$.entity_id'))
                      FROM json_each(s.result, '$.matches') m)
                 END
             FROM customers c JOIN screenings s ON s.id = c.review_id
             WHERE c.seq > ?1 AND c.seq <= ?2
             ORDER BY c.seq
             LIMIT ?3",
        )?;
        let rows = statement.query_map(params![after_seq, upto_seq, limit as i64], |row| {
            let matched: Option<String> = row.get(6)?;
            Ok(Scanned {
                seq: row.get(0)?,
                id: row.get(1)?,
                business: row.get::<_, String>(2)? == "business",
                name: row.get(3)?,
                review_id: row.get(4)?,
                list_version: row.get(5)?,
                matched: match matched {
                    Some(json) => serde_json::from_str(&json).map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(6, Type::Text, Box::new(e))
                    })?,
                    None => Vec::new(),
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `background` customers whose screening a stop interrupted: still `pending`, never screened; with
    /// their versions, so a screening never overwrites a change made since.
    pub fn unscreened_background(&self, limit: usize) -> StoreResult<Vec<(String, i64)>> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT id, version FROM customers
                 WHERE review_id IS NULL AND status = 'pending'
                   AND json_extract(profile, '$.config.processing_method') = 'background'
                 ORDER BY seq
                 LIMIT ?1",
            )?
            .query_map([limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?)
    }
}

/// One screened customer as a list update's scan reads it.
pub struct Scanned {
    pub seq: i64,
    pub id: String,
    pub business: bool,
    pub name: String,
    pub review_id: String,
    pub list_version: String,
    pub matched: Vec<String>,
}

/// The list endpoint's filters, already validated.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub statuses: Vec<CustomerStatus>,
    pub types: Vec<CustomerType>,
    /// Substring of the name, case-insensitive.
    pub name: Option<String>,
    /// The whole email, case-insensitive.
    pub email: Option<String>,
    pub external_id: Option<String>,
    pub created_from: Option<String>,
    /// Exclusive upper bound.
    pub created_to: Option<String>,
    /// Substring of the name, email, external id or id.
    pub search_text: Option<String>,
    pub assignee: Option<Assignee>,
}

/// Whose customers a list shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignee {
    /// Those assigned to this key id.
    Key(String),
    Unassigned,
}

/// How a page is ordered and which page it is.
#[derive(Clone, Copy, Debug)]
pub struct Page {
    pub sort_by: SortBy,
    pub sort_order: SortOrder,
    pub number: u32,
    pub size: u32,
}

/// An FTS5 query for `text` as a substring (a quoted phrase, to the trigram tokenizer), or `None` when it
/// is too short for trigrams and needs a scan.
fn substring_query(text: &str) -> Option<String> {
    (text.chars().count() >= 3).then(|| format!("\"{}\"", text.to_lowercase().replace('"', "\"\"")))
}

/// A substring condition: the trigram index answers `query` for the customers it holds, and `scan` is
/// tested on the few added since its last batch (see `index_new_customers`). Both sides are `seq IN`,
/// so SQLite answers each from its own index and unions them, rather than scanning every customer.
fn indexed_or_newer(query: &str, scan: &str) -> String {
    format!(
        "(seq IN (SELECT rowid FROM customers_text WHERE customers_text MATCH {query}) \
         OR seq IN (SELECT seq FROM customers WHERE seq > (SELECT upto FROM text_indexed) AND {scan}))"
    )
}

fn like_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

impl Conn<'_> {
    /// Adds the customers created since the substring index's last batch to it, once there are at least
    /// `batch` of them; returns how many it added. The writer calls it with each group commit.
    pub(super) fn index_new_customers(&self, batch: i64) -> StoreResult<usize> {
        let (upto, newest): (i64, i64) = self
            .0
            .prepare_cached(
                "SELECT upto, (SELECT coalesce(max(seq), 0) FROM customers) FROM text_indexed",
            )?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        if newest - upto < batch {
            return Ok(0);
        }
        let added = self
            .0
            .prepare_cached(
                "INSERT INTO customers_text (rowid, name_key, email_key)
                 SELECT seq, name_key, email_key FROM customers WHERE seq > ?1 AND seq <= ?2",
            )?
            .execute([upto, newest])?;
        self.0
            .prepare_cached("UPDATE text_indexed SET upto = ?1")?
            .execute([newest])?;
        Ok(added)
    }

    /// One page of customers, without their compliance profiles (a page never shows them), and the number
    /// matching the filter.
    pub fn list_customers(&self, filter: &Filter, page: Page) -> StoreResult<(Vec<Listed>, u64)> {
        let mut clauses: Vec<String> = Vec::new();
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        let mut arg = |value: Box<dyn ToSql>, args_len: &mut usize| {
            args.push(value);
            *args_len += 1;
            format!("?{args_len}")
        };
        let mut n = 0;
        if !filter.statuses.is_empty() {
            let marks: Vec<String> = filter
                .statuses
                .iter()
                .map(|s| arg(Box::new(s.as_str()), &mut n))
                .collect();
            clauses.push(format!("status IN ({})", marks.join(", ")));
        }
        if !filter.types.is_empty() {
            let marks: Vec<String> = filter
                .types
                .iter()
                .map(|t| arg(Box::new(t.as_str()), &mut n))
                .collect();
            clauses.push(format!("type IN ({})", marks.join(", ")));
        }
        if let Some(name) = &filter.name {
            let like = arg(Box::new(like_pattern(name)), &mut n);
            let scan = format!("name_key LIKE {like} ESCAPE '\\'");
            clauses.push(match substring_query(name) {
                Some(query) => {
                    let mark = arg(Box::new(format!("name_key : {query}")), &mut n);
                    indexed_or_newer(&mark, &scan)
                }
                None => scan,
            });
        }
        for (value, comparison) in [
            (
                filter.email.as_ref().map(|e| e.to_lowercase()),
                "email_key =",
            ),
            (filter.external_id.clone(), "external_id ="),
            (filter.created_from.clone(), "created_at >="),
            (filter.created_to.clone(), "created_at <"),
        ] {
            if let Some(value) = value {
                let mark = arg(Box::new(value), &mut n);
                clauses.push(format!("{comparison} {mark}"));
            }
        }
        match &filter.assignee {
            Some(Assignee::Key(key)) => {
                let mark = arg(Box::new(key.clone()), &mut n);
                clauses.push(format!("assignee = {mark}"));
            }
            Some(Assignee::Unassigned) => clauses.push("assignee IS NULL".to_owned()),
            None => {}
        }
        if let Some(text) = &filter.search_text {
            let exact = arg(Box::new(text.clone()), &mut n);
            let like = arg(Box::new(like_pattern(text)), &mut n);
            let scan =
                format!("(name_key LIKE {like} ESCAPE '\\' OR email_key LIKE {like} ESCAPE '\\')");
            let substring = match substring_query(text) {
                Some(query) => {
                    let mark = arg(Box::new(query), &mut n);
                    indexed_or_newer(&mark, &scan)
                }
                None => scan,
            };
            clauses.push(format!(
                "({substring} OR external_id = {exact} OR id = {exact})"
            ));
        }
        let filter_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let direction = match page.sort_order {
            SortOrder::Asc => "ASC",
            SortOrder::Desc => "DESC",
        };
        let order = match page.sort_by {
            SortBy::Name => format!("name_key {direction}, id {direction}"),
            SortBy::CreatedAt => format!("created_at {direction}, id {direction}"),
            SortBy::Score => {
                format!("coalesce(top_score, 0) {direction}, created_at ASC, id ASC")
            }
            // The longest wait is the earliest `review_since`; customers not in review come last either way.
            SortBy::ReviewAge => {
                let since = match page.sort_order {
                    SortOrder::Asc => "DESC",
                    SortOrder::Desc => "ASC",
                };
                format!("review_since IS NULL, review_since {since}, id ASC")
            }
        };
        let refs: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let total: i64 = self
            .0
            .prepare_cached(&format!("SELECT count(*) FROM customers {filter_sql}"))?
            .query_row(refs.as_slice(), |row| row.get(0))?;
        let offset = u64::from(page.number.saturating_sub(1)) * u64::from(page.size);
        let rows = self.0
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM customers {filter_sql} ORDER BY {order} LIMIT {} OFFSET {offset}",
            page.size
        ))?
        .query_map(refs.as_slice(), |row| {
            Ok(Listed {
                record: self.record_from(row)?,
                awaiting_approval: json_column(row, 18)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use crate::store::{KeySource, Keyring};

    /// A store holding one customer, `c1`, whose profile column is `profile`.
    fn store_with(profile: &str) -> (tempfile::TempDir, rusqlite::Connection, Keyring) {
        let dir = tempfile::tempdir().unwrap();
        let raw = crate::store::open(&dir.path().join("c.db")).unwrap();
        raw.execute(
            "INSERT INTO customers (id, type, status, name, name_key, email, email_key, phone,
                 created_at, updated_at, version, profile)
             VALUES ('c1', 'individual', 'verified', 'Ron Swanson', 'ron swanson', 'r@p.com', 'r@p.com',
                 '+12128675309', 't', 't', 1, ?1)",
            [profile],
        )
        .unwrap();
        let keyring = Keyring::load(KeySource::Text(
            super::super::keyring::new_key_line().unwrap(),
        ))
        .unwrap();
        (dir, raw, keyring)
    }

    /// Every message in an error's chain, as a log line with its causes would print them.
    fn chain(error: &dyn Error) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        text
    }

    #[test]
    fn a_profile_stored_in_the_clear_is_sealed_and_still_reads() {
        let (_dir, raw, keyring) =
            store_with(r#"{"compliance_profile":{"dob":"1972-05-06","ssn":"512-44-8890"}}"#);
        let conn = super::Conn(&raw, &keyring);
        assert_eq!(conn.seal_legacy_profiles().unwrap(), 1);
        assert_eq!(conn.seal_legacy_profiles().unwrap(), 0, "once");
        let profile: String = raw
            .query_row("SELECT profile FROM customers", [], |r| r.get(0))
            .unwrap();
        assert!(!profile.contains("8890"), "{profile}");
        let record = conn.customer("c1").unwrap().unwrap();
        let pii = record.profile.compliance_profile.unwrap();
        assert_eq!(pii.dob().map(|d| d.expose()), Some("1972-05-06"));
    }

    #[test]
    fn a_malformed_stored_value_is_a_storage_error_that_does_not_quote_it() {
        let (_dir, raw, keyring) = store_with("{}");
        let conn = super::Conn(&raw, &keyring);
        let (key, sealed) = keyring
            .seal("c1", br#"{"dob":"1972-02-30","ssn":"512-44-8890"}"#)
            .unwrap();
        raw.execute(
            "UPDATE customers SET pii = ?1, pii_key = ?2",
            rusqlite::params![sealed, key],
        )
        .unwrap();
        let sealed_error = chain(&conn.customer("c1").unwrap_err());
        let (_legacy_dir, legacy_raw, legacy_keys) =
            store_with(r#"{"compliance_profile":{"dob":"1972-05-06","ssn":"512448890"}}"#);
        let legacy = super::Conn(&legacy_raw, &legacy_keys);
        let legacy_error = chain(&legacy.seal_legacy_profiles().unwrap_err());
        for (error, field) in [
            (&sealed_error, "compliance_profile.dob"),
            (&legacy_error, "compliance_profile.ssn"),
        ] {
            assert!(
                error.contains("a stored compliance profile does not parse")
                    && error.contains(field),
                "{error}"
            );
            for value in ["1972", "02-30", "8890"] {
                assert!(!error.contains(value), "{error}");
            }
        }
    }

    /// Adds a customer named `name` through the same insert the service uses, and returns its id.
    fn add(conn: &super::Conn<'_>, name: &str) -> String {
        let record = super::Record {
            id: format!("c-{name}"),
            customer_type: clearance_api::CustomerType::Individual,
            status: clearance_api::CustomerStatus::Verified,
            name: name.to_owned(),
            email: format!("{name}@example.com").replace(' ', "."),
            phone: "+12128675309".to_owned(),
            external_id: None,
            created_at: "t".to_owned(),
            updated_at: "t".to_owned(),
            version: 1,
            review_id: None,
            top_score: None,
            top_match: None,
            assignee: None,
            review_since: None,
            profile: Default::default(),
        };
        conn.insert_customer(&record).unwrap();
        record.id
    }

    fn names_matching(conn: &super::Conn<'_>, filter: super::Filter) -> Vec<String> {
        let page = super::Page {
            sort_by: super::SortBy::Name,
            sort_order: super::SortOrder::Asc,
            number: 1,
            size: 100,
        };
        let (records, _) = conn.list_customers(&filter, page).unwrap();
        records.into_iter().map(|r| r.record.name).collect()
    }

    #[test]
    fn substring_search_finds_customers_the_batched_index_holds_and_those_it_does_not_yet() {
        let (_dir, raw, keyring) = store_with("{}");
        let conn = super::Conn(&raw, &keyring);
        add(&conn, "Leslie Knope");
        assert_eq!(conn.index_new_customers(5).unwrap(), 0, "short of a batch");
        assert_eq!(conn.index_new_customers(1).unwrap(), 2, "Ron and Leslie");
        let newest = add(&conn, "Ann Perkins");
        let search = |text: &str| {
            names_matching(
                &conn,
                super::Filter {
                    search_text: Some(text.into()),
                    ..Default::default()
                },
            )
        };
        let by_name = |text: &str| {
            names_matching(
                &conn,
                super::Filter {
                    name: Some(text.into()),
                    ..Default::default()
                },
            )
        };
        assert_eq!(by_name("knop"), ["Leslie Knope"], "from the index");
        assert_eq!(by_name("perk"), ["Ann Perkins"], "scanned, not yet indexed");
        assert_eq!(search("ann.perkins@"), ["Ann Perkins"]);
        assert_eq!(by_name("n"), ["Ann Perkins", "Leslie Knope", "Ron Swanson"]);

        // An indexed customer renamed, one deleted: the index follows both.
        raw.execute(
            "UPDATE customers SET name = 'Leslie Wyatt', name_key = 'leslie wyatt' WHERE id = 'c-Leslie Knope'",
            [],
        )
        .unwrap();
        conn.delete_customer("c1").unwrap();
        assert!(by_name("knop").is_empty());
        assert_eq!(by_name("wyat"), ["Leslie Wyatt"]);
        assert!(by_name("swan").is_empty());

        // The newest customer deleted: the next one still gets a place above the indexed ones.
        conn.index_new_customers(1).unwrap();
        conn.delete_customer(&newest).unwrap();
        add(&conn, "April Ludgate");
        assert_eq!(by_name("ludg"), ["April Ludgate"]);
        assert_eq!(conn.index_new_customers(1).unwrap(), 1);
        assert_eq!(by_name("ludg"), ["April Ludgate"]);
        let integrity: Result<usize, _> = raw.execute(
            "INSERT INTO customers_text (customers_text) VALUES ('integrity-check')",
            [],
        );
        assert!(integrity.is_ok(), "{integrity:?}");
    }
}
