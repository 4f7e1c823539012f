package io.tributary.samples.payments.payment;

import io.tributary.client.events.EventHeaders;
import io.tributary.samples.payments.events.OrderCreated;
import io.tributary.samples.payments.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** Charges every order placed on the orders topic. */
@Component
@KafkaListener(topics = Topics.ORDERS)
class OrderCreatedListener {

    private final PaymentService payments;

    OrderCreatedListener(PaymentService payments) {
        this.payments = payments;
    }

    @KafkaHandler
    void on(OrderCreated order, @Header(EventHeaders.EVENT_ID) String eventId) {
        payments.charge(eventId, order);
    }
}
