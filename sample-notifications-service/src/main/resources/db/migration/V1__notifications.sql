CREATE TABLE notification (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- One notification per event, also after the idempotent consumer has forgotten the event.
    event_id    VARCHAR(100) NOT NULL UNIQUE,
    order_id    VARCHAR(100) NOT NULL,
    customer_id VARCHAR(100) NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    message     VARCHAR(500) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX notification_order_id ON notification (order_id, created_at);
CREATE INDEX notification_created_at ON notification (created_at);
