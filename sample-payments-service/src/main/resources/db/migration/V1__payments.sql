CREATE TABLE payment (
    id           VARCHAR(36) PRIMARY KEY,
    -- One charge per order, whatever event asked for it: the last guard against a double charge.
    order_id     VARCHAR(100)   NOT NULL UNIQUE,
    customer_id  VARCHAR(100)   NOT NULL,
    amount       NUMERIC(12, 2) NOT NULL CHECK (amount >= 0),
    status       VARCHAR(16)    NOT NULL CHECK (status IN ('APPROVED', 'DECLINED')),
    reason       VARCHAR(200),
    processed_at TIMESTAMPTZ    NOT NULL,
    version      INTEGER        NOT NULL
);

CREATE INDEX payment_processed_at ON payment (processed_at DESC);
