package io.tributary.samples.billing.events;

import java.math.BigDecimal;
import java.time.Instant;
import io.tributary.client.events.EventType;

/** Published to {@code invoices}, keyed by the order id, when a paid order was invoiced. */
@EventType("InvoiceIssued")
public record InvoiceIssued(String orderId, String customerId, String invoiceId, BigDecimal amount, Instant issuedAt) {
}
