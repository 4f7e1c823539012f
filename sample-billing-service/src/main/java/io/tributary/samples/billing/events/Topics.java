package io.tributary.samples.billing.events;

/** The topics of the reference stack this service reads and writes; every event's key is its order id. */
public final class Topics {

    public static final String PAYMENTS = "payments";
    public static final String INVOICES = "invoices";

    private Topics() {
    }
}
