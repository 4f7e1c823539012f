package io.tributary.samples.orders.order;

import io.tributary.client.events.EventHeaders;
import io.tributary.samples.orders.events.PaymentFailed;
import io.tributary.samples.orders.events.PaymentProcessed;
import io.tributary.samples.orders.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** Marks orders PAID or REJECTED from the payments topic. */
@Component
@KafkaListener(topics = Topics.PAYMENTS)
class PaymentOutcomeListener {

    private final OrderService orders;

    PaymentOutcomeListener(OrderService orders) {
        this.orders = orders;
    }

    @KafkaHandler
    void on(PaymentProcessed payment, @Header(EventHeaders.EVENT_ID) String eventId) {
        orders.decide(eventId, payment.orderId(), OrderStatus.PAID, null);
    }

    @KafkaHandler
    void on(PaymentFailed payment, @Header(EventHeaders.EVENT_ID) String eventId) {
        orders.decide(eventId, payment.orderId(), OrderStatus.REJECTED, payment.reason());
    }
}
