package io.tributary.samples.notifications;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The notifications service of the e-commerce reference stack: records one message for the customer per
 * {@code OrderCreated}, {@code PaymentProcessed}, {@code PaymentFailed} and {@code InvoiceIssued}. It publishes
 * nothing.
 */
@SpringBootApplication
public class NotificationsApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotificationsApplication.class, args);
    }
}
