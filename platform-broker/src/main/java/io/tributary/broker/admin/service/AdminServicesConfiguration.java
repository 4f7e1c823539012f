package io.tributary.broker.admin.service;

import java.time.Duration;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operations the admin API and the console share. */
@Configuration(proxyBeanMethods = false)
public class AdminServicesConfiguration {

    /** How long a broker waits for another broker's admin API before it reports it unavailable. */
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(3);

    @Bean
    PeerBrokers peerBrokers(TopicManager topics, PartitionManager partitions) {
        return new PeerBrokers(topics.store(), partitions.nodeId(), PEER_TIMEOUT);
    }

    @Bean
    ClusterPartitions clusterPartitions(PartitionManager partitions, PeerBrokers peers, TopicManager topics) {
        return new ClusterPartitions(partitions, peers, topics.store());
    }

    @Bean
    TopicAdmin topicAdmin(TopicManager topics, ClusterPartitions cluster, BrokerProperties properties) {
        return new TopicAdmin(topics, cluster, properties);
    }

    @Bean
    RecordBrowser recordBrowser(TopicAdmin topics, PartitionManager partitions, ClusterPartitions cluster,
            PeerBrokers peers) {
        return new RecordBrowser(topics, partitions, cluster, peers);
    }

    @Bean
    GroupAdmin groupAdmin(GroupCoordinator groups, TopicAdmin topics, ClusterPartitions cluster, RecordBrowser records,
            PeerBrokers peers) {
        return new GroupAdmin(groups, topics, cluster, records, peers);
    }

    @Bean
    ClusterOverview clusterOverview(TopicManager topics, PartitionManager partitions, BrokerProperties properties,
            PeerBrokers peers) {
        return new ClusterOverview(topics, partitions, properties.getDataDir(), peers);
    }

    @Bean
    KeyFollower keyFollower(TopicAdmin topics, RecordBrowser records) {
        return new KeyFollower(topics, records);
    }
}
