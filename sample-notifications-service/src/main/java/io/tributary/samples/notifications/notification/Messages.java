package io.tributary.samples.notifications.notification;

import java.math.BigDecimal;
import java.math.RoundingMode;
import io.tributary.samples.notifications.events.InvoiceIssued;
import io.tributary.samples.notifications.events.OrderCreated;
import io.tributary.samples.notifications.events.PaymentFailed;
import io.tributary.samples.notifications.events.PaymentProcessed;

/** The sentence the customer reads for each event. */
final class Messages {

    private Messages() {
    }

    static String orderReceived(OrderCreated order) {
        return "Your order " + order.orderId() + " of " + money(order.total()) + " was received.";
    }

    static String paymentApproved(PaymentProcessed payment) {
        return "Your payment of " + money(payment.amount()) + " for order " + payment.orderId() + " was approved.";
    }

    static String paymentDeclined(PaymentFailed payment) {
        return "Your payment of " + money(payment.amount()) + " for order " + payment.orderId() + " was declined: "
                + payment.reason() + ".";
    }

    static String invoiceIssued(InvoiceIssued invoice) {
        return "Invoice " + invoice.invoiceId() + " of " + money(invoice.amount()) + " for your order "
                + invoice.orderId() + " was issued.";
    }

    // JSON drops trailing zeros as easily as it keeps them; customers read 39.80, not 39.8.
    private static String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP).toPlainString();
    }
}
