CREATE TABLE invoice (
    id          VARCHAR(36) PRIMARY KEY,
    -- One invoice per paid order, whatever event asked for it: the last guard against billing twice.
    order_id    VARCHAR(100)   NOT NULL UNIQUE,
    customer_id VARCHAR(100)   NOT NULL,
    amount      NUMERIC(12, 2) NOT NULL CHECK (amount >= 0),
    issued_at   TIMESTAMPTZ    NOT NULL,
    version     INTEGER        NOT NULL
);

CREATE INDEX invoice_issued_at ON invoice (issued_at DESC);
