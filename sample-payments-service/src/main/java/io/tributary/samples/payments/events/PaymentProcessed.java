package io.tributary.samples.payments.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Published to {@code payments}, keyed by the order id, when the order's total was charged. */
@EventType("PaymentProcessed")
public record PaymentProcessed(String orderId, String customerId, String paymentId, BigDecimal amount,
        Instant processedAt) {
}
