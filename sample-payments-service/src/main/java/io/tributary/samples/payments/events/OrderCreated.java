package io.tributary.samples.payments.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import io.tributary.client.events.EventType;

/** Read from {@code orders}: an order was placed and its total is to be charged. */
@EventType("OrderCreated")
public record OrderCreated(String orderId, String customerId, List<Line> items, BigDecimal total, Instant createdAt) {

    public record Line(String sku, int quantity, BigDecimal unitPrice) {
    }
}
