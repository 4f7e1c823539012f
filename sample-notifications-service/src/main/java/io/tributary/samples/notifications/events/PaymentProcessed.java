package io.tributary.samples.notifications.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Read from {@code payments}: the order's total was charged. */
@EventType("PaymentProcessed")
public record PaymentProcessed(String orderId, String customerId, String paymentId, BigDecimal amount,
        Instant processedAt) {
}
