package io.tributary.broker.admin.service;

import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operations the admin API and the console share. */
@Configuration(proxyBeanMethods = false)
public class AdminServicesConfiguration {

    @Bean
    TopicAdmin topicAdmin(TopicManager topics, PartitionManager partitions, BrokerProperties properties) {
        return new TopicAdmin(topics, partitions, properties);
    }

    @Bean
    RecordBrowser recordBrowser(TopicAdmin topics, PartitionManager partitions) {
        return new RecordBrowser(topics, partitions);
    }

    @Bean
    GroupAdmin groupAdmin(GroupCoordinator groups, ConsumerLag lag, TopicAdmin topics, PartitionManager partitions) {
        return new GroupAdmin(groups, lag, topics, partitions);
    }

    @Bean
    ClusterOverview clusterOverview(TopicManager topics, PartitionManager partitions, BrokerProperties properties) {
        return new ClusterOverview(topics, partitions, properties.getDataDir());
    }

    @Bean
    KeyFollower keyFollower(TopicAdmin topics, RecordBrowser records) {
        return new KeyFollower(topics, records);
    }
}
