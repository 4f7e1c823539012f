package io.tributary.samples.billing.invoice;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import io.tributary.samples.billing.events.InvoiceIssued;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** The one invoice of a paid order, for the amount charged; issued once, never changed. */
@Table("invoice")
public class Invoice {

    @Id
    private final String id;
    private final String orderId;
    private final String customerId;
    private final BigDecimal amount;
    private final Instant issuedAt;
    /** Null until first stored: tells Spring Data JDBC to insert rather than update. */
    @Version
    private Integer version;

    Invoice(String id, String orderId, String customerId, BigDecimal amount, Instant issuedAt, Integer version) {
        this.id = id;
        this.orderId = orderId;
        this.customerId = customerId;
        this.amount = amount;
        this.issuedAt = issuedAt;
        this.version = version;
    }

    static Invoice issue(String orderId, String customerId, BigDecimal amount, Instant now) {
        return new Invoice(UUID.randomUUID().toString(), orderId, customerId, amount, now, null);
    }

    InvoiceIssued issued() {
        return new InvoiceIssued(orderId, customerId, id, amount, issuedAt);
    }

    public String getId() {
        return id;
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public Instant getIssuedAt() {
        return issuedAt;
    }
}
