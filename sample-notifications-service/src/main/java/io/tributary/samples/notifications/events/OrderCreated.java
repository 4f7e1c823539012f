package io.tributary.samples.notifications.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Read from {@code orders}: an order was placed. Its items are of no interest here and are not read. */
@EventType("OrderCreated")
public record OrderCreated(String orderId, String customerId, BigDecimal total, Instant createdAt) {
}
