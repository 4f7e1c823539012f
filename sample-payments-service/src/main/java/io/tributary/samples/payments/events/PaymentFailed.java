package io.tributary.samples.payments.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Published to {@code payments}, keyed by the order id, when the gateway declined the charge, with its reason. */
@EventType("PaymentFailed")
public record PaymentFailed(String orderId, String customerId, String paymentId, BigDecimal amount, String reason,
        Instant processedAt) {
}
