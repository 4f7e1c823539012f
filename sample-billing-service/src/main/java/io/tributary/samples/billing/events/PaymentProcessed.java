package io.tributary.samples.billing.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Read from {@code payments}: the order's total was charged, so it is to be invoiced. */
@EventType("PaymentProcessed")
public record PaymentProcessed(String orderId, String customerId, String paymentId, BigDecimal amount,
        Instant processedAt) {
}
