package io.tributary.broker.config;

import javax.net.ssl.SSLContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import io.tributary.broker.cluster.InterBrokerClient;
import io.tributary.broker.security.ListenerDefinition;

import io.tributary.broker.cluster.BrokerLiveness;
import io.tributary.broker.cluster.ClusterNode;
import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.cluster.ControllerElections;
import io.tributary.broker.cluster.MetaProperties;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.raft.RaftEndpoint;
import io.tributary.broker.cluster.balancer.LogDirSampler;
import io.tributary.broker.cluster.balancer.SelfBalancer;
import io.tributary.broker.cluster.raft.RaftMetadataQuorum;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.cluster.raft.RaftQuorumAdmin;
import io.tributary.broker.metadata.QuorumAdmin;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.ProducerIdAllocator;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.partition.PartitionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.annotation.Configuration;

/**
 * A broker in a cluster ({@code tributary.cluster.voters} set): the metadata comes from a Raft
 * quorum of the voters instead of the data directory, replicated to this node as a voter or, when it
 * is not one of them, as a broker only. Without voters {@link BrokerConfiguration}'s
 * single-node beans apply instead.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(ClusterConfiguration.CLUSTER_MODE)
public class ClusterConfiguration {

    static final String CLUSTER_MODE = "!'${tributary.cluster.voters:}'.trim().isEmpty()";
    static final String SINGLE_NODE = "'${tributary.cluster.voters:}'.trim().isEmpty()";

    @Bean
    BrokerLiveness brokerLiveness(ClusterProperties cluster) {
        return new BrokerLiveness(cluster.getBrokerSessionTimeout().toMillis(), System::nanoTime);
    }

    /** This node's cluster id and metadata log directory id, settled on its first start and kept in its Raft directory. */
    @Bean
    MetaProperties metaProperties(BrokerProperties properties, ClusterProperties cluster) {
        return MetaProperties.loadOrCreate(cluster, properties.getNodeId(), cluster.effectiveRaftDir(properties.getDataDir()));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    RaftMetadataQuorum raftMetadataQuorum(BrokerProperties properties, ClusterProperties cluster, MetaProperties meta,
            BrokerLiveness liveness, ObjectProvider<SslBundles> sslBundles) {
        RaftEndpoint endpoint = RaftEndpoint.of(cluster, properties.getNodeId(), properties.getHost(),
                properties.effectiveAdvertisedHost());
        return new RaftMetadataQuorum(properties.getNodeId(), cluster, meta, endpoint, properties.getDataDir(), liveness,
                raftTls(cluster, sslBundles.getIfAvailable()));
    }

    /** Mutual TLS for the metadata quorum from {@code tributary.cluster.ssl-bundle}, or {@code null}. */
    static org.apache.ratis.grpc.GrpcTlsConfig raftTls(ClusterProperties cluster, SslBundles bundles) {
        String name = cluster.getSslBundle();
        if (name == null || name.isBlank()) {
            return null;
        }
        if (bundles == null) {
            throw new IllegalArgumentException("tributary.cluster.ssl-bundle names '" + name + "', but no spring.ssl.bundle.* is configured");
        }
        org.springframework.boot.ssl.SslManagerBundle managers = bundles.getBundle(name).getManagers();
        return new org.apache.ratis.grpc.GrpcTlsConfig(managers.getKeyManagerFactory().getKeyManagers()[0],
                managers.getTrustManagerFactory().getTrustManagers()[0], true);
    }

    /** DescribeQuorum, AddRaftVoter and RemoveRaftVoter on the Raft quorum. */
    @Bean
    QuorumAdmin quorumAdmin(RaftMetadataQuorum quorum) {
        return new RaftQuorumAdmin(quorum);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ClusterNode clusterNode(LocalBroker broker, ClusterProperties cluster, RaftMetadataQuorum quorum,
            BrokerLiveness liveness, PartitionManager partitions, TopicConfigs configs, BrokerProperties properties,
            ObjectProvider<SslBundles> sslBundles) {
        return new ClusterNode(broker, cluster, quorum, liveness, partitions, configs,
                interBrokerClient(properties, sslBundles.getIfAvailable()));
    }

    /** The client side of the inter-broker listener: its protocol, its SSL bundle's trust, the broker's SASL user. */
    static InterBrokerClient interBrokerClient(BrokerProperties properties, SslBundles bundles) {
        ListenerDefinition listener = properties.listenerLayout().interBroker();
        SecurityProtocol protocol = listener.securityProtocol();
        SSLContext ssl = null;
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            String bundle = properties.getSecurity().getListener().entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(listener.name()) && e.getValue().getSslBundle() != null)
                    .map(e -> e.getValue().getSslBundle()).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("The inter-broker listener " + listener.name()
                            + " speaks " + protocol + " and needs tributary.broker.security.listener."
                            + listener.name().toLowerCase(java.util.Locale.ROOT) + ".ssl-bundle"));
            if (bundles == null) {
                throw new IllegalArgumentException("SSL bundle '" + bundle + "' is not defined: no spring.ssl.bundle.* is configured");
            }
            ssl = bundles.getBundle(bundle).createSslContext();
        }
        BrokerProperties.Security.InterBroker client = properties.getSecurity().getInterBroker();
        boolean sasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        return new InterBrokerClient(protocol, ssl, sasl ? client.getSaslMechanism() : null,
                sasl ? client.getUsername() : null, sasl ? client.getPassword() : null);
    }

    /** Preferred leaders given back and unclean elections, while this broker is the controller. */
    @Bean(initMethod = "start", destroyMethod = "close")
    ControllerElections controllerElections(BrokerProperties properties, ClusterProperties cluster, ClusterNode node,
            BrokerConfigs configs) {
        return new ControllerElections(properties.getNodeId(), node.quorum(), configs, cluster.isAutoLeaderRebalanceEnable(),
                cluster.getLeaderImbalanceCheckInterval(), cluster.getHeartbeatInterval());
    }

    /** Replicas and preferred leaders evened out by the controller, when tributary.cluster.balancer.enabled. */
    @Bean(initMethod = "start", destroyMethod = "close")
    SelfBalancer selfBalancer(BrokerProperties properties, ClusterProperties cluster, ClusterNode node,
            ObjectProvider<SslBundles> sslBundles) {
        LogDirSampler sizes = new LogDirSampler(properties.getNodeId(),
                interBrokerClient(properties, sslBundles.getIfAvailable()), 5_000);
        return new SelfBalancer(properties.getNodeId(), node.quorum(), cluster.getBalancer(), sizes);
    }

    /** Runs before any bean stops, so that the Kafka listener still answers while leaderships move. */
    @Bean
    ApplicationListener<ContextClosedEvent> controlledShutdown(ClusterNode node) {
        return event -> node.controlledShutdown();
    }

    /** Named "replication" in health: DOWN while this broker cannot fetch from some brokers. */
    @Bean
    io.tributary.broker.admin.ReplicationHealthIndicator replicationHealthIndicator(ClusterNode node) {
        return new io.tributary.broker.admin.ReplicationHealthIndicator(node::replicationFailures);
    }

    @Bean
    ClusterMetadata clusterMetadata(ClusterNode node) {
        return node.metadata();
    }

    @Bean
    ProducerIdAllocator producerIdAllocator(BrokerProperties properties, ClusterNode node) {
        return new ProducerIdAllocator(() -> node.quorum()
                .submit(new MetadataCommand.AllocateProducerIds(properties.getNodeId())).orThrow());
    }
}
