package io.tributary.samples.notifications.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Read from {@code payments}: the charge was declined, with the gateway's reason. */
@EventType("PaymentFailed")
public record PaymentFailed(String orderId, String customerId, String paymentId, BigDecimal amount, String reason,
        Instant processedAt) {
}
