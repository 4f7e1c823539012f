package io.tributary.samples.orders;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The orders service of the e-commerce reference stack: takes orders over REST, publishes
 * {@code OrderCreated} through the transactional outbox, and marks orders paid or rejected when the
 * payments service has decided.
 */
@SpringBootApplication
public class OrdersApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrdersApplication.class, args);
    }
}
