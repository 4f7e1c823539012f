package io.tributary.samples.billing.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Read from {@code payments}: the charge was declined; nothing to bill, but the event must be recognised. */
@EventType("PaymentFailed")
public record PaymentFailed(String orderId, String customerId, String paymentId, BigDecimal amount, String reason,
        Instant processedAt) {
}
