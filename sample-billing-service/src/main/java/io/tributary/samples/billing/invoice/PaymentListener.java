package io.tributary.samples.billing.invoice;

import io.tributary.client.events.EventHeaders;
import io.tributary.samples.billing.events.PaymentFailed;
import io.tributary.samples.billing.events.PaymentProcessed;
import io.tributary.samples.billing.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** Invoices the orders the payments topic reports paid. */
@Component
@KafkaListener(topics = Topics.PAYMENTS)
class PaymentListener {

    private final InvoiceService invoices;

    PaymentListener(InvoiceService invoices) {
        this.invoices = invoices;
    }

    @KafkaHandler
    void on(PaymentProcessed payment, @Header(EventHeaders.EVENT_ID) String eventId) {
        invoices.issue(eventId, payment);
    }

    /** A declined order is not billed; without this handler the event would fail and be dead-lettered. */
    @KafkaHandler
    void on(PaymentFailed payment) {
    }
}
