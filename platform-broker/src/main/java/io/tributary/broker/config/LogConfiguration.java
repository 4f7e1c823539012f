package io.tributary.broker.config;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the storage side: the topic store in the data directory, the topic configs with the
 * broker's defaults, and one {@link LogManager} whose logs take each topic's configs.
 */
@Configuration(proxyBeanMethods = false)
public class LogConfiguration {

    @Bean
    TopicStore topicStore(BrokerProperties properties) throws IOException {
        return TopicStore.open(properties.getDataDir());
    }

    @Bean
    TopicConfigs topicConfigs(BrokerProperties properties) {
        return new TopicConfigs(properties.getLog().toLogConfig(), properties.getMinInsyncReplicas());
    }

    @Bean(initMethod = "startup", destroyMethod = "close")
    LogManager logManager(BrokerProperties properties, TopicStore topics, TopicConfigs configs) {
        return new LogManager(properties.getDataDir(),
                topic -> configs.toLogConfig(topics.topic(topic).map(TopicInfo::configs).orElse(Map.of())),
                Clock.systemUTC(), FileChannelFactory.DEFAULT, properties.getLog().toSchedule());
    }
}
