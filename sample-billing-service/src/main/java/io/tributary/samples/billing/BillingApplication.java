package io.tributary.samples.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The billing service of the e-commerce reference stack: issues exactly one invoice per paid order from
 * {@code PaymentProcessed} and publishes {@code InvoiceIssued} through the transactional outbox.
 */
@SpringBootApplication
public class BillingApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }
}
