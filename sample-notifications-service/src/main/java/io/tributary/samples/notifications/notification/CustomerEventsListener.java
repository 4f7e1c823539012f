package io.tributary.samples.notifications.notification;

import io.tributary.client.events.EventHeaders;
import io.tributary.samples.notifications.events.InvoiceIssued;
import io.tributary.samples.notifications.events.OrderCreated;
import io.tributary.samples.notifications.events.PaymentFailed;
import io.tributary.samples.notifications.events.PaymentProcessed;
import io.tributary.samples.notifications.events.Topics;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** Turns every event the customer should hear of into a notification. */
@Component
@KafkaListener(topics = {Topics.ORDERS, Topics.PAYMENTS, Topics.INVOICES})
class CustomerEventsListener {

    private final NotificationService notifications;

    CustomerEventsListener(NotificationService notifications) {
        this.notifications = notifications;
    }

    @KafkaHandler
    void on(OrderCreated order, @Header(EventHeaders.EVENT_ID) String eventId) {
        notifications.record(eventId, order.orderId(), order.customerId(), NotificationKind.ORDER_RECEIVED,
                Messages.orderReceived(order));
    }

    @KafkaHandler
    void on(PaymentProcessed payment, @Header(EventHeaders.EVENT_ID) String eventId) {
        notifications.record(eventId, payment.orderId(), payment.customerId(), NotificationKind.PAYMENT_APPROVED,
                Messages.paymentApproved(payment));
    }

    @KafkaHandler
    void on(PaymentFailed payment, @Header(EventHeaders.EVENT_ID) String eventId) {
        notifications.record(eventId, payment.orderId(), payment.customerId(), NotificationKind.PAYMENT_DECLINED,
                Messages.paymentDeclined(payment));
    }

    @KafkaHandler
    void on(InvoiceIssued invoice, @Header(EventHeaders.EVENT_ID) String eventId) {
        notifications.record(eventId, invoice.orderId(), invoice.customerId(), NotificationKind.INVOICE_ISSUED,
                Messages.invoiceIssued(invoice));
    }
}
