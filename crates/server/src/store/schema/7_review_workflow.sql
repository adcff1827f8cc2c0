-- Analysts' decisions on single matches of a screening. The match ids are in the screening's result.
CREATE TABLE match_decisions (
    match_id TEXT PRIMARY KEY,
    review_id TEXT NOT NULL REFERENCES screenings (id) ON DELETE CASCADE,
    decision TEXT NOT NULL CHECK (decision IN ('dismissed', 'confirmed')),
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    note TEXT
) STRICT;
CREATE INDEX match_decisions_review ON match_decisions (review_id);

-- False-positive memory: a listed entry an analyst cleared for a customer, as the entry read then
-- (`entity_version`, its content hash in `list_version_entities`). A later screening does not alert on the
-- same entry unchanged; a change to the customer's names or date of birth voids the customer's rows.
CREATE TABLE cleared_pairs (
    id INTEGER PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    entity_key TEXT NOT NULL,
    entity_version BLOB NOT NULL,
    match_id TEXT NOT NULL,
    cleared_by TEXT NOT NULL,
    cleared_at TEXT NOT NULL,
    note TEXT,
    voided_at TEXT
) STRICT;
CREATE INDEX cleared_pairs_customer ON cleared_pairs (customer_id, entity_key);

-- Four-eyes approval: the first of the two decisions a strong match needs, until the second.
ALTER TABLE screenings ADD COLUMN first_status TEXT CHECK (first_status IN ('verified', 'rejected'));
ALTER TABLE screenings ADD COLUMN first_by TEXT;
ALTER TABLE screenings ADD COLUMN first_key TEXT;
ALTER TABLE screenings ADD COLUMN first_at TEXT;
ALTER TABLE screenings ADD COLUMN first_note TEXT;

-- The review queue: who works a customer, and since when it has waited in review.
ALTER TABLE customers ADD COLUMN assignee TEXT;
ALTER TABLE customers ADD COLUMN review_since TEXT;
UPDATE customers SET review_since = updated_at WHERE status = 'review';
CREATE INDEX customers_status_score ON customers (status, top_score);
CREATE INDEX customers_status_review_since ON customers (status, review_since);
CREATE INDEX customers_assignee ON customers (assignee, status);
