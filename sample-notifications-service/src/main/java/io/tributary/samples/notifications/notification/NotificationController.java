package io.tributary.samples.notifications.notification;

import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /notifications}: read-only; notifications are recorded from events. */
@RestController
@RequestMapping("/notifications")
class NotificationController {

    private final NotificationService notifications;

    NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** Every notification, oldest first; with {@code orderId}, that order's. */
    @GetMapping
    List<NotificationView> list(@RequestParam(required = false) String orderId) {
        List<Notification> found = orderId == null ? notifications.all() : notifications.ofOrder(orderId);
        return found.stream().map(NotificationView::of).toList();
    }

    record NotificationView(long id, String eventId, String orderId, String customerId, String kind, String message,
            Instant createdAt) {

        static NotificationView of(Notification notification) {
            return new NotificationView(notification.getId(), notification.getEventId(), notification.getOrderId(),
                    notification.getCustomerId(), notification.getKind().name(), notification.getMessage(),
                    notification.getCreatedAt());
        }
    }
}
