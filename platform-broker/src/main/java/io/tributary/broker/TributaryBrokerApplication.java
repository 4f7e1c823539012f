package io.tributary.broker;

import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.PropertySource;

/** Starts a Tributary broker: {@code java -jar platform-broker-exec.jar [--tributary.broker.*=...]}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:tributary-broker.properties")
public class TributaryBrokerApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(TributaryBrokerApplication.class).bannerMode(Banner.Mode.OFF).run(args);
    }
}
