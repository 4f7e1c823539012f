package io.tributary.samples.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The billing service of the e-commerce reference stack. Its business capabilities arrive with the
 * reference-services issue; for now it is an empty Spring Boot application with Actuator.
 */
@SpringBootApplication
public class BillingApplication {

    public static void main(String[] args) {
        SpringApplication.run(BillingApplication.class, args);
    }
}
