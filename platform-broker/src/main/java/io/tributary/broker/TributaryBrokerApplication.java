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

    /**
     * Set (as a default property) only by {@link #main}: the JVM runs this broker alone, so the broker may
     * end it (see {@code tributary.broker.log-dir-failure}). A broker embedded in another JVM never has it.
     */
    public static final String OWN_PROCESS_PROPERTY = "tributary.broker.own-process";

    public static void main(String[] args) {
        new SpringApplicationBuilder(TributaryBrokerApplication.class).bannerMode(Banner.Mode.OFF)
                .properties(OWN_PROCESS_PROPERTY + "=true").run(args);
    }
}
