package io.tributary.samples.notifications.notification;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** One message to a customer about one event of their order; written once, never changed. */
@Table("notification")
public class Notification {

    /** Null until stored: the database numbers notifications, which tells Spring Data JDBC to insert. */
    @Id
    private Long id;
    private final String eventId;
    private final String orderId;
    private final String customerId;
    private final NotificationKind kind;
    private final String message;
    private final Instant createdAt;

    Notification(Long id, String eventId, String orderId, String customerId, NotificationKind kind, String message,
            Instant createdAt) {
        this.id = id;
        this.eventId = eventId;
        this.orderId = orderId;
        this.customerId = customerId;
        this.kind = kind;
        this.message = message;
        this.createdAt = createdAt;
    }

    static Notification of(String eventId, String orderId, String customerId, NotificationKind kind, String message,
            Instant now) {
        return new Notification(null, eventId, orderId, customerId, kind, message, now);
    }

    public Long getId() {
        return id;
    }

    public String getEventId() {
        return eventId;
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public NotificationKind getKind() {
        return kind;
    }

    public String getMessage() {
        return message;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
