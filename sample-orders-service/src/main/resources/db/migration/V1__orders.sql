CREATE TABLE customer_order (
    id            VARCHAR(36) PRIMARY KEY,
    customer_id   VARCHAR(100)   NOT NULL,
    total         NUMERIC(12, 2) NOT NULL CHECK (total >= 0),
    status        VARCHAR(16)    NOT NULL,
    status_reason VARCHAR(200),
    created_at    TIMESTAMPTZ    NOT NULL,
    version       INTEGER        NOT NULL
);

CREATE INDEX customer_order_created_at ON customer_order (created_at DESC);

CREATE TABLE order_line (
    order_id   VARCHAR(36)    NOT NULL REFERENCES customer_order (id),
    position   INTEGER        NOT NULL,
    sku        VARCHAR(100)   NOT NULL,
    quantity   INTEGER        NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(10, 2) NOT NULL CHECK (unit_price >= 0),
    PRIMARY KEY (order_id, position)
);
