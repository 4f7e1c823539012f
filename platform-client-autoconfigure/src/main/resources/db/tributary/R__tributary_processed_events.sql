-- Tributary's idempotent consumers (PostgreSQL): the events each consumer has processed. A repeatable migration
-- of idempotent statements, like R__tributary_outbox.sql beside it.

CREATE TABLE IF NOT EXISTS tributary_processed_event (
    consumer     text        NOT NULL,
    event_id     text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE INDEX IF NOT EXISTS tributary_processed_event_processed_at ON tributary_processed_event (processed_at);
