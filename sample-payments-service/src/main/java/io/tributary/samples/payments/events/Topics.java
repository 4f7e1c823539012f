package io.tributary.samples.payments.events;

/** The topics of the reference stack this service reads and writes; every event's key is its order id. */
public final class Topics {

    public static final String ORDERS = "orders";
    public static final String PAYMENTS = "payments";

    private Topics() {
    }
}
