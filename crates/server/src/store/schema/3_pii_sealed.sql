-- PII at rest is encrypted: the compliance profile (SSN, EIN, date of birth) moves out of `profile` into
-- `pii`, sealed with AES-256-GCM under the data key `pii_key` names. Rows written before this migration are
-- sealed by the server when it opens the database with a data key.
ALTER TABLE customers ADD COLUMN pii BLOB;
ALTER TABLE customers ADD COLUMN pii_key TEXT;
CREATE INDEX customers_pii_key ON customers (pii_key);
