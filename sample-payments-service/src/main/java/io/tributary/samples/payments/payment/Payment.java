package io.tributary.samples.payments.payment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import io.tributary.samples.payments.events.PaymentFailed;
import io.tributary.samples.payments.events.PaymentProcessed;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/** The one charge of an order and the gateway's answer to it; decided when created, never changed. */
@Table("payment")
public class Payment {

    @Id
    private final String id;
    private final String orderId;
    private final String customerId;
    private final BigDecimal amount;
    private final PaymentStatus status;
    private final String reason;
    private final Instant processedAt;
    /** Null until first stored: tells Spring Data JDBC to insert rather than update. */
    @Version
    private Integer version;

    Payment(String id, String orderId, String customerId, BigDecimal amount, PaymentStatus status, String reason,
            Instant processedAt, Integer version) {
        this.id = id;
        this.orderId = orderId;
        this.customerId = customerId;
        this.amount = amount;
        this.status = status;
        this.reason = reason;
        this.processedAt = processedAt;
        this.version = version;
    }

    static Payment of(String orderId, String customerId, BigDecimal amount, GatewayDecision decision, Instant now) {
        return new Payment(UUID.randomUUID().toString(), orderId, customerId, amount, decision.status(),
                decision.reason(), now, null);
    }

    /** The event that tells the other services how the charge went. */
    Object outcome() {
        return status == PaymentStatus.APPROVED
                ? new PaymentProcessed(orderId, customerId, id, amount, processedAt)
                : new PaymentFailed(orderId, customerId, id, amount, reason, processedAt);
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

    public PaymentStatus getStatus() {
        return status;
    }

    public String getReason() {
        return reason;
    }

    public Instant getProcessedAt() {
        return processedAt;
    }
}
