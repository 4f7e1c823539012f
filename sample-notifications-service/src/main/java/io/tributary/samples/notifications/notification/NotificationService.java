package io.tributary.samples.notifications.notification;

import java.time.Clock;
import java.util.List;
import io.tributary.client.idempotent.IdempotentConsumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Records notifications, one per event, and reads them back. */
@Service
public class NotificationService {

    private static final Log logger = LogFactory.getLog(NotificationService.class);

    private final NotificationRepository notifications;
    private final IdempotentConsumer idempotentConsumer;
    private final Clock clock;

    NotificationService(NotificationRepository notifications, IdempotentConsumer idempotentConsumer) {
        this.notifications = notifications;
        this.idempotentConsumer = idempotentConsumer;
        this.clock = Clock.systemUTC();
    }

    /**
     * Records the notification of the event {@code eventId} unless it exists. A redelivered event is skipped by
     * the idempotent consumer; one redelivered after its record there was cleaned up finds its notification.
     * Returns whether this call recorded it.
     */
    @Transactional
    public boolean record(String eventId, String orderId, String customerId, NotificationKind kind, String message) {
        boolean[] recorded = {false};
        idempotentConsumer.runOnce(eventId, () -> {
            if (notifications.existsByEventId(eventId)) {
                return;
            }
            notifications.save(Notification.of(eventId, orderId, customerId, kind, message, clock.instant()));
            logger.info("Notified customer " + customerId + " of " + kind + " for order " + orderId);
            recorded[0] = true;
        });
        return recorded[0];
    }

    /** Every notification, oldest first. */
    public List<Notification> all() {
        return notifications.findAllByOrderByCreatedAtAscIdAsc();
    }

    /** One order's notifications, oldest first. */
    public List<Notification> ofOrder(String orderId) {
        return notifications.findByOrderIdOrderByCreatedAtAscIdAsc(orderId);
    }
}
