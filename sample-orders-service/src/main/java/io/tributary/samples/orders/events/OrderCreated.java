package io.tributary.samples.orders.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import io.tributary.client.events.EventType;

/** Published to {@code orders} when an order is placed, keyed by the order id. */
@EventType("OrderCreated")
public record OrderCreated(String orderId, String customerId, List<Line> items, BigDecimal total, Instant createdAt) {

    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }
}
