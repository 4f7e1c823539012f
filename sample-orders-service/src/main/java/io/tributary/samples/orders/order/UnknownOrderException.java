package io.tributary.samples.orders.order;

/** A payment event for an order this service does not have: retried, then dead-lettered. */
public class UnknownOrderException extends RuntimeException {

    public UnknownOrderException(String orderId) {
        super("no order " + orderId);
    }
}
