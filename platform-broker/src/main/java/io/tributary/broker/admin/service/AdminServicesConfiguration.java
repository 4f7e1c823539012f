package io.tributary.broker.admin.service;

import java.time.Duration;
import io.tributary.broker.cluster.balancer.SelfBalancer;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.server.authorizer.Authorizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The operations the admin API and the console share. */
@Configuration(proxyBeanMethods = false)
public class AdminServicesConfiguration {

    /** How long a broker waits for another broker's admin API before it reports it unavailable. */
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(3);

    @Bean
    PeerBrokers peerBrokers(TopicManager topics, PartitionManager partitions, BrokerProperties properties) {
        BrokerProperties.Security.InterBroker broker = properties.getSecurity().getInterBroker();
        boolean authenticated = properties.httpAuthenticationEnabled();
        return new PeerBrokers(topics.store(), partitions.nodeId(), PEER_TIMEOUT, authenticated ? broker.getUsername() : null,
                authenticated ? broker.getPassword() : null);
    }

    @Bean
    ClusterPartitions clusterPartitions(PartitionManager partitions, PeerBrokers peers, TopicManager topics) {
        return new ClusterPartitions(partitions, peers, topics.store());
    }

    @Bean
    AdminAuthorization adminAuthorization(ObjectProvider<Authorizer> authorizer) {
        return new AdminAuthorization(authorizer.getIfAvailable());
    }

    @Bean
    TopicAdmin topicAdmin(TopicManager topics, ClusterPartitions cluster, BrokerProperties properties,
            AdminAuthorization authorization) {
        return new TopicAdmin(topics, cluster, properties, authorization);
    }

    @Bean
    RecordBrowser recordBrowser(TopicAdmin topics, PartitionManager partitions, ClusterPartitions cluster,
            PeerBrokers peers) {
        return new RecordBrowser(topics, partitions, cluster, peers);
    }

    @Bean
    GroupAdmin groupAdmin(GroupCoordinator groups, TopicAdmin topics, ClusterPartitions cluster, RecordBrowser records,
            PeerBrokers peers, ConsumerLag lag) {
        return new GroupAdmin(groups, topics, cluster, records, peers, lag);
    }

    @Bean
    ClusterOverview clusterOverview(TopicManager topics, PartitionManager partitions, BrokerProperties properties,
            PeerBrokers peers, AdminAuthorization authorization) {
        return new ClusterOverview(topics, partitions, properties.getDataDir(), peers, authorization);
    }

    @Bean
    BrokerRetirement brokerRetirement(TopicManager topics, AdminAuthorization authorization) {
        return new BrokerRetirement(topics.store(), authorization);
    }

    @Bean
    ClusterBalance clusterBalance(TopicManager topics, PartitionManager partitions, ObjectProvider<SelfBalancer> balancer,
            PeerBrokers peers, AdminAuthorization authorization) {
        return new ClusterBalance(topics.store(), partitions.nodeId(), balancer.getIfAvailable(), peers, authorization);
    }

    @Bean
    KeyFollower keyFollower(TopicAdmin topics, RecordBrowser records) {
        return new KeyFollower(topics, records);
    }
}
