-- The substring index is filled in batches by the writer (`Conn::index_new_customers`) rather than by a
-- trigger on every insert: a batch of hundreds costs a fifth of what row-at-a-time costs. `upto` is the
-- highest `seq` the index holds; searches scan the few rows above it directly, so they never miss one.
-- Updates and deletes of rows the index holds still reach it through triggers, in the same transaction.
CREATE TABLE text_indexed (upto INTEGER NOT NULL) STRICT;
INSERT INTO text_indexed (upto) SELECT coalesce(max(seq), 0) FROM customers;

DROP TRIGGER customers_text_insert;
DROP TRIGGER customers_text_delete;
DROP TRIGGER customers_text_update;
CREATE TRIGGER customers_text_delete AFTER DELETE ON customers
WHEN old.seq <= (SELECT upto FROM text_indexed)
BEGIN
    INSERT INTO customers_text (customers_text, rowid, name_key, email_key)
    VALUES ('delete', old.seq, old.name_key, old.email_key);
END;
CREATE TRIGGER customers_text_update AFTER UPDATE OF name_key, email_key ON customers
WHEN old.seq <= (SELECT upto FROM text_indexed)
BEGIN
    INSERT INTO customers_text (customers_text, rowid, name_key, email_key)
    VALUES ('delete', old.seq, old.name_key, old.email_key);
    INSERT INTO customers_text (rowid, name_key, email_key) VALUES (new.seq, new.name_key, new.email_key);
END;
