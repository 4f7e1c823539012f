-- Tributary's transactional outbox (PostgreSQL). A repeatable migration of idempotent statements, so that it
-- never takes a version number of the service's own migrations: add classpath:db/tributary to
-- spring.flyway.locations. Flyway runs it again whenever this file changes, so every statement must stay
-- harmless to repeat.

-- Events waiting to be published (sent_at null), then kept for tributary.outbox.retention.
CREATE TABLE IF NOT EXISTS tributary_outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   uuid        NOT NULL,
    topic      text        NOT NULL,
    event_key  text,
    event_type text        NOT NULL,
    payload    bytea       NOT NULL,
    lane       smallint    NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);

-- The W3C trace context (traceparent, tracestate) of the transaction that wrote the event, for the relay to send
-- it in that trace; null without tracing. Added to tables made before these columns existed.
ALTER TABLE tributary_outbox ADD COLUMN IF NOT EXISTS trace_parent text;
ALTER TABLE tributary_outbox ADD COLUMN IF NOT EXISTS trace_state text;

-- What a relay pass reads: the oldest unsent rows of its lanes. Partial, so it stays as small as the backlog.
CREATE INDEX IF NOT EXISTS tributary_outbox_unsent ON tributary_outbox (lane, id) WHERE sent_at IS NULL;

-- What the clean-up deletes.
CREATE INDEX IF NOT EXISTS tributary_outbox_sent_at ON tributary_outbox (sent_at) WHERE sent_at IS NOT NULL;

-- One row per lane; a relay locks the lanes it publishes (FOR UPDATE SKIP LOCKED). The events of a key always
-- travel in the same lane, so one relay at a time publishes them, in order. The client computes lanes modulo 16:
-- the count must not change.
CREATE TABLE IF NOT EXISTS tributary_outbox_lane (
    lane int PRIMARY KEY
);

INSERT INTO tributary_outbox_lane (lane) SELECT generate_series(0, 15) ON CONFLICT DO NOTHING;
