-- The business table of the tests' shipping "service": one row per side effect, deliberately without a unique
-- constraint, so that an effect applied twice would show as two rows.
CREATE TABLE shipment (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL,
    order_id text NOT NULL,
    sequence int  NOT NULL
);
