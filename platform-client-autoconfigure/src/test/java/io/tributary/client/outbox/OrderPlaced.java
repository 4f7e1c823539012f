package io.tributary.client.outbox;

import io.tributary.client.events.EventType;

/** The tests' event: the {@code sequence}-th event of one order, so that arrival order per key can be checked. */
@EventType("OrderPlaced")
record OrderPlaced(String orderId, int sequence) {
}
