package io.tributary.samples.notifications.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Read from {@code invoices}: a paid order was invoiced. */
@EventType("InvoiceIssued")
public record InvoiceIssued(String orderId, String customerId, String invoiceId, BigDecimal amount, Instant issuedAt) {
}
