package io.tributary.samples.payments;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The payments service of the e-commerce reference stack: charges every {@code OrderCreated} once through a
 * simulated gateway and publishes {@code PaymentProcessed} or {@code PaymentFailed} through the transactional
 * outbox.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PaymentsApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaymentsApplication.class, args);
    }
}
