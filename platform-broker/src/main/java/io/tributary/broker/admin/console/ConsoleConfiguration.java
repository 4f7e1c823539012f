package io.tributary.broker.admin.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The console's beans; {@code tributary.console.enabled=false} leaves them all out. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
public class ConsoleConfiguration {

    @Bean
    ConsoleFormat consoleFormat() {
        return new ConsoleFormat();
    }
}
