package io.tributary.samples.notifications.notification;

/** Which event a notification tells the customer about. */
public enum NotificationKind {
    ORDER_RECEIVED, PAYMENT_APPROVED, PAYMENT_DECLINED, INVOICE_ISSUED
}
