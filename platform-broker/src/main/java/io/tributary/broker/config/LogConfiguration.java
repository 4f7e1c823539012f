package io.tributary.broker.config;

import java.time.Clock;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the log engine into the application: one {@link LogManager} over the data directory. */
@Configuration(proxyBeanMethods = false)
public class LogConfiguration {

    @Bean(initMethod = "startup", destroyMethod = "close")
    LogManager logManager(BrokerProperties properties) {
        var defaults = properties.getLog().toLogConfig();
        return new LogManager(properties.getDataDir(), topic -> defaults, Clock.systemUTC(), FileChannelFactory.DEFAULT,
                properties.getLog().toSchedule());
    }
}
