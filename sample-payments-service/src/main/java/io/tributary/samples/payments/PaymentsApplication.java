package io.tributary.samples.payments;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payments service of the e-commerce reference stack. Its business capabilities arrive with the
 * reference-services issue; for now it is an empty Spring Boot application with Actuator.
 */
@SpringBootApplication
public class PaymentsApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaymentsApplication.class, args);
    }
}
