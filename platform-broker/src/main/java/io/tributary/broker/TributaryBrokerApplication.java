package io.tributary.broker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Starts a Tributary broker: {@code java -jar platform-broker.jar [--tributary.broker.*=...]}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TributaryBrokerApplication {

    public static void main(String[] args) {
        SpringApplication.run(TributaryBrokerApplication.class, args);
    }
}
