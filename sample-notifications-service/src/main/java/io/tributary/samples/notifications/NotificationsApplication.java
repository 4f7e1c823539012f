package io.tributary.samples.notifications;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The notifications service of the e-commerce reference stack. Its business capabilities arrive with the
 * reference-services issue; for now it is an empty Spring Boot application with Actuator.
 */
@SpringBootApplication
public class NotificationsApplication {

    public static void main(String[] args) {
        SpringApplication.run(NotificationsApplication.class, args);
    }
}
