package io.tributary.broker.config;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.api.AlterConfigsHandler;
import io.tributary.broker.api.ListConfigResourcesHandler;
import io.tributary.broker.api.ConsumerGroupDescribeHandler;
import io.tributary.broker.api.ConsumerGroupHeartbeatHandler;
import io.tributary.broker.api.ShareGroupDescribeHandler;
import io.tributary.broker.api.ShareGroupHeartbeatHandler;
import io.tributary.broker.api.AlterPartitionReassignmentsHandler;
import io.tributary.broker.api.AlterUserScramCredentialsHandler;
import io.tributary.broker.api.ApiHandler;
import io.tributary.broker.api.CreateAclsHandler;
import io.tributary.broker.api.DeleteAclsHandler;
import io.tributary.broker.api.DescribeAclsHandler;
import io.tributary.broker.api.DescribeLogDirsHandler;
import io.tributary.broker.api.DescribeProducersHandler;
import io.tributary.broker.api.DescribeUserScramCredentialsHandler;
import io.tributary.broker.api.ElectLeadersHandler;
import io.tributary.broker.api.AlterShareGroupOffsetsHandler;
import io.tributary.broker.api.DeleteGroupsHandler;
import io.tributary.broker.api.DeleteShareGroupOffsetsHandler;
import io.tributary.broker.api.DescribeShareGroupOffsetsHandler;
import io.tributary.broker.api.DescribeGroupsHandler;
import io.tributary.broker.api.FindCoordinatorHandler;
import io.tributary.broker.api.HeartbeatHandler;
import io.tributary.broker.api.JoinGroupHandler;
import io.tributary.broker.api.LeaveGroupHandler;
import io.tributary.broker.api.ListGroupsHandler;
import io.tributary.broker.api.ListPartitionReassignmentsHandler;
import io.tributary.broker.api.OffsetCommitHandler;
import io.tributary.broker.api.TxnOffsetCommitHandler;
import io.tributary.broker.api.OffsetDeleteHandler;
import io.tributary.broker.api.OffsetFetchHandler;
import io.tributary.broker.api.SyncGroupHandler;
import io.tributary.broker.api.UnregisterBrokerHandler;
import io.tributary.broker.api.AddOffsetsToTxnHandler;
import io.tributary.broker.api.AddPartitionsToTxnHandler;
import io.tributary.broker.api.DescribeTransactionsHandler;
import io.tributary.broker.api.EndTxnHandler;
import io.tributary.broker.api.ListTransactionsHandler;
import io.tributary.broker.api.WriteTxnMarkersHandler;
import io.tributary.broker.api.DeleteShareGroupStateHandler;
import io.tributary.broker.api.InitializeShareGroupStateHandler;
import io.tributary.broker.api.ReadShareGroupStateHandler;
import io.tributary.broker.api.ReadShareGroupStateSummaryHandler;
import io.tributary.broker.api.WriteShareGroupStateHandler;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.ShareCoordinatorPersister;
import io.tributary.broker.share.persister.ShareStatePersister;
import io.tributary.broker.api.ShareAcknowledgeHandler;
import io.tributary.broker.api.ShareFetchHandler;
import io.tributary.broker.api.ShareRequests;
import io.tributary.broker.share.SharePartitionManager;
import io.tributary.broker.share.ShareSessionCache;
import io.tributary.broker.transaction.PartitionLeaderMarkerWriter;
import io.tributary.broker.transaction.TransactionCoordinator;
import io.tributary.broker.transaction.TransactionVerifier;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.group.ShareGroupOffsets;
import io.tributary.broker.api.ApiRouter;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.api.CreatePartitionsHandler;
import io.tributary.broker.api.CreateTopicsHandler;
import io.tributary.broker.api.DeleteRecordsHandler;
import io.tributary.broker.api.DeleteTopicsHandler;
import io.tributary.broker.api.DescribeClusterHandler;
import io.tributary.broker.api.DescribeConfigsHandler;
import io.tributary.broker.api.FetchHandler;
import io.tributary.broker.api.IncrementalAlterConfigsHandler;
import io.tributary.broker.api.InitProducerIdHandler;
import io.tributary.broker.api.ListOffsetsHandler;
import io.tributary.broker.api.MetadataHandler;
import io.tributary.broker.api.OffsetForLeaderEpochHandler;
import io.tributary.broker.api.ProduceHandler;
import io.tributary.broker.api.RequestAuthorization;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.cluster.MetaProperties;
import io.tributary.broker.metadata.QuorumAdmin;
import io.tributary.broker.metadata.SingleNodeQuorum;
import io.tributary.broker.api.AddRaftVoterHandler;
import io.tributary.broker.api.DescribeQuorumHandler;
import io.tributary.broker.api.RemoveRaftVoterHandler;
import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.GroupConfigLimits;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.ProducerIdAllocator;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.network.KafkaServer;
import io.tributary.broker.network.ListenerSecurity;
import io.tributary.broker.security.ListenerDefinition;
import io.tributary.broker.security.Listeners;
import io.tributary.broker.api.SaslAuthenticateHandler;
import io.tributary.broker.api.SaslHandshakeHandler;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.springframework.boot.ssl.SslBundles;
import io.tributary.broker.network.NetworkSettings;
import io.tributary.broker.network.RequestObserver;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.ReadReplicaSelection;
import io.tributary.broker.partition.ReplicationThrottles;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.server.authorizer.Authorizer;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * Wires the broker above storage: partitions and topics, the API handlers, and the Kafka listener, which
 * starts once everything it serves is ready, before the web side ({@link WebServerAfterKafkaListener}), and
 * stops before the broker's components it depends on.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService brokerScheduler() {
        return Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "tributary-broker-scheduler");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    LocalBroker localBroker(BrokerProperties properties, TopicStore topics, ClusterProperties cluster,
            ObjectProvider<MetaProperties> meta, org.springframework.context.ApplicationContext context) {
        String clusterId = cluster.isEnabled() ? meta.getObject().clusterId().toString() : topics.clusterId();
        // Registered with the cluster so that other brokers' consoles can ask this one for what it holds;
        // a random HTTP port (0) is known only after start-up, so such a broker (and one without a web
        // server) is not asked.
        boolean web = context instanceof org.springframework.boot.web.server.context.WebServerApplicationContext;
        int httpPort = web ? context.getEnvironment().getProperty("server.port", Integer.class, 8080) : 0;
        Listeners listeners = properties.listenerLayout();
        return new LocalBroker(properties.getNodeId(), listeners.advertisedInOrder(), listeners.interBrokerListenerName(),
                httpPort > 0 ? httpPort : io.tributary.broker.metadata.BrokerStatus.NO_HTTP_PORT, clusterId,
                properties.getRack());
    }

    /** The embedded default; {@link ClusterConfiguration} replaces it when voters are configured. */
    @Bean
    @ConditionalOnExpression(ClusterConfiguration.SINGLE_NODE)
    ClusterMetadata singleNodeMetadata(BrokerProperties properties, TopicStore topics, LocalBroker broker)
            throws IOException {
        return new SingleNodeMetadata(topics, SecurityStore.open(properties.getDataDir()), broker);
    }

    /** This broker's configs under Kafka's names, static and dynamic: what DescribeConfigs shows, and the throttle rates. */
    @Bean
    BrokerConfigs brokerConfigs(BrokerProperties properties, ClusterProperties cluster, ClusterMetadata metadata) {
        return new BrokerConfigs(properties.getNodeId(), staticBrokerConfigs(properties, cluster), metadata);
    }

    /**
     * The groups' configs (Kafka's GROUP config resources) with this broker's group defaults: what the share
     * and consumer group components read per group, and what the config APIs change.
     */
    @Bean
    GroupConfigs groupConfigs(BrokerProperties properties, ClusterMetadata metadata) {
        GroupProperties group = properties.getGroup();
        GroupConfigLimits kafka = GroupConfigLimits.KAFKA;
        GroupConfigLimits limits = kafka.withDefaults(Math.toIntExact(group.getConsumerSessionTimeout().toMillis()),
                Math.toIntExact(group.getConsumerHeartbeatInterval().toMillis()),
                Math.toIntExact(group.getShareSessionTimeout().toMillis()),
                Math.toIntExact(group.getShareHeartbeatInterval().toMillis()),
                Math.toIntExact(properties.getShare().getRecordLockDuration().toMillis()))
                .withShareRecordLockBounds(Math.toIntExact(properties.getShare().getMinRecordLockDuration().toMillis()),
                        Math.toIntExact(properties.getShare().getMaxRecordLockDuration().toMillis()));
        return new GroupConfigs(metadata, limits);
    }

    /** A single node's answer to DescribeQuorum, AddRaftVoter and RemoveRaftVoter; {@link ClusterConfiguration} has the quorum's. */
    @Bean
    @ConditionalOnExpression(ClusterConfiguration.SINGLE_NODE)
    QuorumAdmin singleNodeQuorum(BrokerProperties properties) {
        return new SingleNodeQuorum(properties.getNodeId());
    }

    @Bean(destroyMethod = "close")
    PartitionManager partitionManager(BrokerProperties properties, LogManager logs, ScheduledExecutorService brokerScheduler) {
        return new PartitionManager(properties.getNodeId(), logs, brokerScheduler,
                properties.getLog().getCheckpointInterval().toMillis(), properties.getReplicaLagTimeMax().toMillis());
    }

    /**
     * Kafka's replication throttles: the rates are the dynamic broker configs, read at every check, so a
     * change through kafka-configs applies at once.
     */
    @Bean
    ReplicationThrottles replicationThrottles(PartitionManager partitions, BrokerConfigs configs) {
        ReplicationThrottles throttles = new ReplicationThrottles(configs::leaderReplicationThrottledRate,
                configs::followerReplicationThrottledRate);
        partitions.throttles(throttles);
        return throttles;
    }

    @Bean(initMethod = "startup")
    TopicManager topicManager(ClusterMetadata store, TopicConfigs configs, PartitionManager partitions, LogManager logs) {
        return new TopicManager(store, configs, partitions, logs);
    }

    @Bean
    @ConditionalOnExpression(ClusterConfiguration.SINGLE_NODE)
    ProducerIdAllocator producerIdAllocator(BrokerProperties properties) throws IOException {
        return new ProducerIdAllocator(properties.getDataDir());
    }

    @Bean(initMethod = "startup")
    GroupCoordinator groupCoordinator(BrokerProperties properties, TopicManager topics, PartitionManager partitions,
            ScheduledExecutorService brokerScheduler) {
        return new GroupCoordinator(properties.getGroup().toConfig(), topics, partitions, brokerScheduler, Clock.systemUTC());
    }

    /** Writes transaction markers where the partitions are led: here directly, elsewhere with WriteTxnMarkers. */
    @Bean(destroyMethod = "close")
    PartitionLeaderMarkerWriter transactionMarkerWriter(BrokerProperties properties, ClusterMetadata metadata,
            PartitionManager partitions, LocalBroker broker, ObjectProvider<SslBundles> sslBundles) {
        return new PartitionLeaderMarkerWriter(properties.getNodeId(), metadata, partitions,
                broker.interBrokerListenerName(), lazyInterBrokerClient(properties, sslBundles), 30_000);
    }

    /** The inter-broker client, built when first needed: a single node never calls another broker and needs no credentials. */
    private static java.util.function.Supplier<io.tributary.broker.cluster.InterBrokerClient> lazyInterBrokerClient(
            BrokerProperties properties, ObjectProvider<SslBundles> sslBundles) {
        return new java.util.function.Supplier<>() {
            private io.tributary.broker.cluster.InterBrokerClient client;

            @Override
            public synchronized io.tributary.broker.cluster.InterBrokerClient get() {
                if (client == null) {
                    client = ClusterConfiguration.interBrokerClient(properties, sslBundles.getIfAvailable());
                }
                return client;
            }
        };
    }

    /** KIP-890's check of a transaction's first batch in a partition with its coordinator (used unless disabled). */
    @Bean(destroyMethod = "close")
    TransactionVerifier transactionVerifier(BrokerProperties properties, TransactionCoordinator transactions,
            ClusterMetadata metadata, LocalBroker broker, ObjectProvider<SslBundles> sslBundles) {
        return new TransactionVerifier(transactions, metadata, properties.getNodeId(), broker.interBrokerListenerName(),
                lazyInterBrokerClient(properties, sslBundles), 30_000);
    }

    @Bean(initMethod = "startup", destroyMethod = "close")
    TransactionCoordinator transactionCoordinator(BrokerProperties properties, TopicManager topics,
            PartitionManager partitions, ProducerIdAllocator producerIds, PartitionLeaderMarkerWriter markers,
            ScheduledExecutorService brokerScheduler) {
        return new TransactionCoordinator(properties.getTransaction().toConfig(), topics, partitions,
                producerIds::nextProducerId, markers, brokerScheduler, Clock.systemUTC());
    }

    /** The share coordinator: share-partitions' state in {@code __share_group_state}, for the partitions this broker leads. */
    @Bean(initMethod = "startup", destroyMethod = "close")
    ShareCoordinator shareCoordinator(BrokerProperties properties, TopicManager topics, PartitionManager partitions) {
        return new ShareCoordinator(properties.getShare().toConfig(), topics, partitions, Clock.systemUTC());
    }

    /**
     * Where share-partition leaders keep their state: the share coordinator of each key, here or on the broker
     * that leads its partition (over the inter-broker listener).
     */
    @Bean(destroyMethod = "close")
    ShareStatePersister shareStatePersister(BrokerProperties properties, ShareCoordinator shares, ClusterMetadata metadata,
            LocalBroker broker, ObjectProvider<SslBundles> sslBundles) {
        return new ShareCoordinatorPersister(properties.getNodeId(), shares, metadata, broker.interBrokerListenerName(),
                lazyInterBrokerClient(properties, sslBundles), 30_000,
                properties.getShare().getStatePersisterTimeout().toMillis());
    }

    /** The share-partitions of the partitions led here: what share groups' members acquire and acknowledge. */
    @Bean
    SharePartitionManager sharePartitionManager(BrokerProperties properties, TopicManager topics,
            PartitionManager partitions, ShareStatePersister persister, GroupConfigs groupConfigs,
            ScheduledExecutorService brokerScheduler) {
        ShareProperties share = properties.getShare();
        return new SharePartitionManager(topics.store(), partitions, persister, groupConfigs::shareSettings,
                brokerScheduler, Clock.systemUTC(),
                new SharePartitionManager.Config(share.getMaxRecordLocks(), share.getDeliveryCountLimit()));
    }

    /**
     * The admin side of share groups' offsets: describe, alter, delete, and the share state of deleted groups;
     * share-partitions led here whose state it replaces are loaded afresh.
     */
    @Bean
    ShareGroupOffsets shareGroupOffsets(GroupCoordinator groups, ShareStatePersister persister, TopicManager topics,
            SharePartitionManager sharePartitions) {
        return new ShareGroupOffsets(groups, persister, topics.store(), sharePartitions::unload);
    }

    /** Share groups' members' sessions; those left idle end, and what their members held is released. */
    @Bean
    ShareSessionCache shareSessionCache(BrokerProperties properties, SharePartitionManager shares,
            ScheduledExecutorService brokerScheduler) {
        long idleMs = properties.getShare().getShareSessionIdleTimeout().toMillis();
        ShareSessionCache sessions = new ShareSessionCache(properties.getShare().getMaxShareSessions(), idleMs,
                System::currentTimeMillis);
        brokerScheduler.scheduleWithFixedDelay(() -> shares.release(sessions.evictIdle()), idleMs, idleMs / 2,
                TimeUnit.MILLISECONDS);
        return sessions;
    }

    @Bean
    ConsumerLag consumerLag(GroupCoordinator groups, PartitionManager partitions, ShareGroupOffsets shareOffsets) {
        return new ConsumerLag(groups, partitions, shareOffsets);
    }

    /**
     * What the API handlers ask before acting: Kafka's {@link Authorizer} when one is configured
     * ({@code tributary.broker.security.authorizer.enabled}), otherwise nothing, and everything is allowed.
     */
    @Bean
    RequestAuthorization requestAuthorization(ObjectProvider<Authorizer> authorizer) {
        return new RequestAuthorization(authorizer.getIfAvailable());
    }

    /** Consumers' fetch sessions (KIP-227); idle ones make room for new ones after two minutes, as in Kafka. */
    @Bean
    FetchSessionCache fetchSessionCache(BrokerProperties properties) {
        return new FetchSessionCache(properties.getMaxIncrementalFetchSessionCacheSlots(), 120_000, System::currentTimeMillis);
    }

    @Bean
    ApiRouter apiRouter(BrokerProperties properties, LocalBroker broker, TopicManager topics, PartitionManager partitions,
            ProducerIdAllocator producerIds, GroupCoordinator groups, RequestAuthorization authorization,
            ClusterMetadata metadata, LogManager logs, BrokerConfigs brokerConfigs, GroupConfigs groupConfigs, QuorumAdmin quorum,
            FetchSessionCache fetchSessions, TransactionCoordinator transactions, TransactionVerifier verifier,
            ShareCoordinator shares, SharePartitionManager sharePartitions, ShareSessionCache shareSessions,
            ShareGroupOffsets shareGroupOffsets) {
        ShareRequests shareRequests = new ShareRequests(metadata, sharePartitions, shareSessions, authorization);
        List<ApiHandler<?>> handlers = List.of(
                new FindCoordinatorHandler(broker, groups, transactions, shares, topics.store(), authorization),
                new JoinGroupHandler(groups, authorization),
                new SyncGroupHandler(groups, authorization),
                new HeartbeatHandler(groups, authorization),
                new ConsumerGroupHeartbeatHandler(groups, authorization),
                new ConsumerGroupDescribeHandler(groups, authorization),
                new ShareGroupHeartbeatHandler(groups, authorization),
                new ShareGroupDescribeHandler(groups, authorization),
                new DescribeShareGroupOffsetsHandler(shareGroupOffsets, authorization),
                new AlterShareGroupOffsetsHandler(shareGroupOffsets, topics.store(), authorization),
                new DeleteShareGroupOffsetsHandler(shareGroupOffsets, topics.store(), authorization),
                new LeaveGroupHandler(groups, authorization),
                new OffsetCommitHandler(groups, authorization),
                new OffsetFetchHandler(groups, authorization),
                new TxnOffsetCommitHandler(groups, topics.store(), authorization,
                        properties.getTransaction().isPartitionVerificationEnable() ? verifier : null),
                new DescribeGroupsHandler(groups, authorization),
                new ListGroupsHandler(groups, authorization),
                new DeleteGroupsHandler(shareGroupOffsets::deleteGroup, authorization),
                new OffsetDeleteHandler(groups, authorization),
                new MetadataHandler(broker, topics, properties.isAutoCreateTopicsEnable(), properties.getNumPartitions(),
                        properties.getDefaultReplicationFactor(), authorization),
                produceHandler(topics, partitions, authorization, properties,
                        properties.getTransaction().isPartitionVerificationEnable() ? verifier : null),
                new FetchHandler(topics.store(), partitions, authorization,
                        ReadReplicaSelection.of(properties.getReplicaSelectorClass()), broker.nodeId(), fetchSessions),
                new ListOffsetsHandler(partitions, authorization),
                new DescribeProducersHandler(partitions, authorization),
                new InitProducerIdHandler(producerIds, authorization, transactions),
                new AddPartitionsToTxnHandler(transactions, topics.store(), authorization),
                new AddOffsetsToTxnHandler(transactions, groups, authorization),
                new EndTxnHandler(transactions, authorization),
                new WriteTxnMarkersHandler(partitions, authorization),
                new ShareFetchHandler(shareRequests),
                new ShareAcknowledgeHandler(shareRequests),
                new InitializeShareGroupStateHandler(shares, authorization),
                new ReadShareGroupStateHandler(shares, authorization),
                new WriteShareGroupStateHandler(shares, authorization),
                new DeleteShareGroupStateHandler(shares, authorization),
                new ReadShareGroupStateSummaryHandler(shares, authorization),
                new DescribeTransactionsHandler(transactions, authorization),
                new ListTransactionsHandler(transactions, authorization),
                new CreateTopicsHandler(topics, properties.getNumPartitions(), properties.getDefaultReplicationFactor(),
                        authorization),
                new DeleteTopicsHandler(topics, authorization),
                new CreatePartitionsHandler(topics, authorization),
                new DescribeConfigsHandler(topics, broker, brokerConfigs, groupConfigs, authorization),
                new IncrementalAlterConfigsHandler(topics, brokerConfigs, groupConfigs, authorization),
                new AlterConfigsHandler(topics, brokerConfigs, groupConfigs, authorization),
                new ListConfigResourcesHandler(metadata, groupConfigs, authorization),
                new ElectLeadersHandler(metadata, authorization),
                new DescribeClusterHandler(broker, topics.store(), authorization),
                new DeleteRecordsHandler(partitions, metadata, authorization),
                new SaslHandshakeHandler(),
                new SaslAuthenticateHandler(),
                new OffsetForLeaderEpochHandler(partitions, authorization),
                new CreateAclsHandler(authorization),
                new DescribeAclsHandler(authorization),
                new DeleteAclsHandler(authorization),
                new DescribeUserScramCredentialsHandler(metadata, authorization),
                new AlterUserScramCredentialsHandler(metadata, authorization),
                new DescribeLogDirsHandler(logs, authorization),
                new AlterPartitionReassignmentsHandler(metadata, authorization),
                new ListPartitionReassignmentsHandler(metadata, authorization),
                new UnregisterBrokerHandler(metadata, authorization),
                new DescribeQuorumHandler(quorum, authorization),
                new AddRaftVoterHandler(broker, quorum, authorization),
                new RemoveRaftVoterHandler(broker, quorum, authorization));
        return new ApiRouter(handlers);
    }

    private static ProduceHandler produceHandler(TopicManager topics, PartitionManager partitions,
            RequestAuthorization authorization, BrokerProperties properties, TransactionVerifier verifier) {
        ProduceHandler produce = new ProduceHandler(topics, partitions, authorization, verifier);
        if (properties.isBenchAcknowledgeWithoutStoring()) {
            LoggerFactory.getLogger(BrokerConfiguration.class).warn("tributary.broker.bench-acknowledge-without-storing"
                    + " is set: produced records are acknowledged and DROPPED. For benchmarks only.");
            produce.acknowledgeWithoutStoring();
        }
        return produce;
    }

    /** Kafka clients are served before the web side is built: the web server factories depend on the listener. */
    @Bean
    static WebServerAfterKafkaListener webServerAfterKafkaListener() {
        return new WebServerAfterKafkaListener();
    }

    /**
     * The Kafka listener. Its dependencies are what requests need. Two beans it does not depend on install
     * themselves when they are created, and must be in place before the first request is served: the replication
     * throttles (in the partition manager, for replicas' fetches) and what the broker does when its data
     * directory fails (in the log manager, {@code tributary.broker.log-dir-failure}).
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    @DependsOn({"replicationThrottles", "logDirFailureListener"})
    KafkaListener kafkaListener(BrokerProperties properties, ApiRouter router, LocalBroker broker,
            ObjectProvider<RequestObserver> requestObserver, ObjectProvider<SslBundles> sslBundles,
            CredentialCache credentials) {
        NetworkSettings settings = new NetworkSettings(properties.getHost(), properties.getPort(),
                Math.toIntExact(properties.getSocketRequestMaxBytes().toBytes()),
                properties.getMaxInFlightRequestsPerConnection(), properties.getConnectionsMaxIdle(),
                properties.getMaxConnections(),
                properties.getNumIoThreads() > 0 ? properties.getNumIoThreads() : NetworkSettings.defaultRequestHandlerThreads());
        Listeners listeners = properties.listenerLayout();
        List<ListenerSecurity> secured = new ListenerSecurityFactory(properties.getSecurity(), sslBundles.getIfAvailable(),
                credentials).create(listeners);
        return new KafkaListener(new KafkaServer(settings, secured, router,
                requestObserver.getIfAvailable(() -> RequestObserver.NONE)), broker, listeners);
    }

    /** The Kafka listener, which tells the local broker which port it got once it is bound. */
    public static final class KafkaListener implements AutoCloseable {
        private final KafkaServer server;
        private final LocalBroker broker;
        private final Listeners listeners;

        KafkaListener(KafkaServer server, LocalBroker broker, Listeners listeners) {
            this.server = server;
            this.broker = broker;
            this.listeners = listeners;
        }

        public void start() {
            server.start();
            for (ListenerDefinition listener : listeners.bound()) {
                broker.boundTo(listener.name(), server.port(listener.name()));
            }
        }

        /** The port of the first listener. */
        public int port() {
            return server.port();
        }

        /** The port a listener bound. */
        public int port(String listenerName) {
            return server.port(listenerName.toUpperCase(java.util.Locale.ROOT));
        }

        /** Whether the listener is bound and accepting connections. */
        public boolean isRunning() {
            return server.isRunning();
        }

        /** Connections currently open. */
        public int connectionCount() {
            return server.connectionCount();
        }

        @Override
        public void close() {
            server.close();
        }
    }

    /** This broker's settings under Kafka's broker config names, as set at start-up. */
    static Map<String, String> staticBrokerConfigs(BrokerProperties properties, ClusterProperties cluster) {
        LogConfig log = properties.getLog().toLogConfig();
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("node.id", Integer.toString(properties.getNodeId()));
        configs.put("broker.id", Integer.toString(properties.getNodeId()));
        if (properties.getRack() != null && !properties.getRack().isBlank()) {
            configs.put("broker.rack", properties.getRack());
        }
        configs.put("replica.selector.class", properties.getReplicaSelectorClass() == null ? ""
                : properties.getReplicaSelectorClass());
        configs.put("log.dirs", properties.getDataDir().toAbsolutePath().normalize().toString());
        Listeners listeners = properties.listenerLayout();
        configs.put("listeners", listeners.listenersConfig());
        configs.put("advertised.listeners", listeners.advertisedListenersConfig());
        configs.put("listener.security.protocol.map", listeners.protocolMapConfig());
        configs.put("inter.broker.listener.name", listeners.interBrokerListenerName());
        configs.put("sasl.enabled.mechanisms", String.join(",", properties.getSecurity().getSaslEnabledMechanisms()));
        configs.put("auto.create.topics.enable", Boolean.toString(properties.isAutoCreateTopicsEnable()));
        configs.put("num.partitions", Integer.toString(properties.getNumPartitions()));
        configs.put("default.replication.factor", Short.toString(properties.getDefaultReplicationFactor()));
        configs.put("min.insync.replicas", Integer.toString(properties.getMinInsyncReplicas()));
        configs.put("log.segment.bytes", Integer.toString(log.segmentBytes()));
        configs.put("log.roll.ms", Long.toString(log.segmentMs()));
        configs.put("log.retention.ms", Long.toString(log.retentionMs()));
        configs.put("log.retention.bytes", Long.toString(log.retentionBytes()));
        configs.put("log.flush.interval.messages", Long.toString(log.flushMessages()));
        configs.put("log.flush.interval.ms", Long.toString(log.flushMs()));
        configs.put("log.index.interval.bytes", Integer.toString(log.indexIntervalBytes()));
        configs.put("message.max.bytes", Integer.toString(log.maxMessageBytes()));
        configs.put("log.message.timestamp.type", log.timestampType().name);
        configs.put("socket.request.max.bytes", Long.toString(properties.getSocketRequestMaxBytes().toBytes()));
        configs.put("max.connections", Integer.toString(properties.getMaxConnections()));
        configs.put("connections.max.idle.ms", Long.toString(properties.getConnectionsMaxIdle().toMillis()));
        configs.put("auto.leader.rebalance.enable", Boolean.toString(cluster.isAutoLeaderRebalanceEnable()));
        configs.put("leader.imbalance.check.interval.seconds", Long.toString(cluster.getLeaderImbalanceCheckInterval().toSeconds()));
        if (properties.getUncleanLeaderElectionEnable() != null) {
            configs.put(BrokerConfigs.UNCLEAN_LEADER_ELECTION_ENABLE, properties.getUncleanLeaderElectionEnable().toString());
        }
        return configs;
    }
}
