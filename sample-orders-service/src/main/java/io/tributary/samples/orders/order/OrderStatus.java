package io.tributary.samples.orders.order;

/** PENDING until the payments service decides; then PAID or REJECTED, for good. */
public enum OrderStatus {
    PENDING, PAID, REJECTED
}
