package io.tributary.broker.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.group.GroupCoordinatorConfig;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.ProducerIdAllocator;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * A single-node broker below the network layer, for calling handlers directly: real topics,
 * partitions, logs and group coordinator on a directory, and a {@link GrantsAuthorizer} deciding
 * for the principal {@link #ALICE}. Requests go through their wire form, as the network layer's do.
 */
final class HandlerHarness implements AutoCloseable {

    static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");

    final GrantsAuthorizer authorizer = new GrantsAuthorizer();
    final RequestAuthorization authorization = new RequestAuthorization(authorizer);
    final LocalBroker broker;
    final TopicManager topics;
    final io.tributary.broker.metadata.BrokerConfigs brokerConfigs;
    final io.tributary.broker.metadata.GroupConfigs groupConfigs;
    final PartitionManager partitions;
    final GroupCoordinator groups;
    final ProducerIdAllocator producerIds;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final LogManager logs;

    HandlerHarness(Path dir) {
        try {
            TopicStore store = TopicStore.open(dir);
            TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
            logs = new LogManager(dir, topic -> configs.toLogConfig(store.topic(topic).map(TopicInfo::configs).orElse(Map.of())),
                    Clock.systemUTC(), FileChannelFactory.DEFAULT, LogManager.Schedule.DEFAULT);
            logs.startup();
            partitions = new PartitionManager(0, logs, scheduler, 60_000);
            // The listener the requests' context names: a broker is advertised on the client's listener only.
            broker = new LocalBroker(0, java.util.List.of(new io.tributary.broker.metadata.AdvertisedListener("SASL_PLAINTEXT",
                    "localhost", 9092)), "SASL_PLAINTEXT", io.tributary.broker.metadata.BrokerStatus.NO_HTTP_PORT, store.clusterId());
            topics = new TopicManager(new SingleNodeMetadata(store, io.tributary.broker.metadata.SecurityStore.open(dir), broker),
                    configs, partitions, logs);
            topics.startup();
            brokerConfigs = new io.tributary.broker.metadata.BrokerConfigs(0, Map.of("node.id", "0"), topics.store());
            groupConfigs = new io.tributary.broker.metadata.GroupConfigs(topics.store(),
                    io.tributary.broker.metadata.GroupConfigLimits.KAFKA);
            groups = new GroupCoordinator(new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0, 600_000, 600_000,
                    4096, 1, 5_000), topics, partitions, scheduler, Clock.systemUTC());
            groups.startup();
            producerIds = new ProducerIdAllocator(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void createTopic(String name, int partitionCount) {
        topics.createTopic(name, partitionCount, 1, Map.of(), false);
    }

    long logEndOffset(String topic, int partition) {
        return partitions.partition(new TopicPartition(topic, partition)).orElseThrow().log().logEndOffset();
    }

    static RequestContext context(ApiKeys apiKey, short version, KafkaPrincipal principal) {
        return new RequestContext(new RequestHeader(apiKey, version, "test-client", 1), "test-connection",
                InetAddress.getLoopbackAddress(), principal, "SASL_PLAINTEXT", SecurityProtocol.SASL_PLAINTEXT);
    }

    /** The request as the network layer hands it over: written in the version's wire form and parsed back. */
    @SuppressWarnings("unchecked")
    static <Q extends AbstractRequest> Q request(ApiMessage data, short version) {
        ApiKeys apiKey = ApiKeys.forId(data.apiKey());
        return (Q) AbstractRequest.parseRequest(apiKey, version, MessageUtil.toByteBufferAccessor(data, version)).request;
    }

    /** Calls the handler as {@link #ALICE} with the newest version it serves. */
    <Q extends AbstractRequest, R extends AbstractResponse> R call(ApiHandler<Q> handler, ApiMessage data) {
        return call(handler, data, handler.maxVersion());
    }

    @SuppressWarnings("unchecked")
    <Q extends AbstractRequest, R extends AbstractResponse> R call(ApiHandler<Q> handler, ApiMessage data, short version) {
        Q request = request(data, version);
        try {
            return (R) handler.handle(context(handler.apiKey(), version, ALICE), request).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(handler.apiKey() + " failed", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            groups.close();
            partitions.close();
            logs.close();
        } finally {
            scheduler.shutdownNow();
        }
    }
}
