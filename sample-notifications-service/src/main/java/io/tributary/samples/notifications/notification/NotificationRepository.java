package io.tributary.samples.notifications.notification;

import java.util.List;
import org.springframework.data.repository.ListCrudRepository;

interface NotificationRepository extends ListCrudRepository<Notification, Long> {

    // The id breaks ties between notifications created in the same microsecond.
    List<Notification> findAllByOrderByCreatedAtAscIdAsc();

    List<Notification> findByOrderIdOrderByCreatedAtAscIdAsc(String orderId);

    boolean existsByEventId(String eventId);
}
