-- Webhooks an admin registered. The signing secret is sealed with a data key, like PII.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    -- The event types, as JSON.
    events TEXT NOT NULL,
    secret BLOB NOT NULL,
    secret_key TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- The outbox: one row per message and webhook, written in the transaction of the change it announces,
-- so a message exists exactly when its change committed, and survives a restart. Delivery is at least
-- once: a receiver drops a `webhook-id` it has seen. `seq` orders each
-- customer's messages; a message waits while an earlier one of the same customer to the same webhook is
-- pending. Payloads hold ids and statuses only.
CREATE TABLE webhook_deliveries (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id),
    customer_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (webhook_id, event_id)
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_customer ON webhook_deliveries (webhook_id, customer_id, state, seq);
