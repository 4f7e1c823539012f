package io.tributary.broker.transaction;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import io.tributary.broker.cluster.BrokerChannels;
import io.tributary.broker.cluster.BrokerConnection;
import io.tributary.broker.cluster.InterBrokerClient;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes markers where the partitions are led: through {@link PartitionManager#appendTxnMarker} for
 * partitions this broker leads, with one WriteTxnMarkers request per other leader over the
 * inter-broker listener. Rounds repeat, with the leaders the metadata names then, until every
 * partition holds the marker or the coordinator gives up its partition (as Kafka's
 * {@code TransactionMarkerChannelManager} and its completion handler do).
 *
 * <p>Thread-safe; the blocking calls to other brokers run on {@link BrokerChannels}, one connection and
 * thread per destination broker, kept from one round and one transaction to the next; the markers that
 * wait for a broker's call in flight go together in the next WriteTxnMarkers ({@link #MARKER_COALESCING}).
 */
public final class PartitionLeaderMarkerWriter implements TransactionMarkerWriter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLeaderMarkerWriter.class);
    private static final long MAX_BACKOFF_MS = 1_000;

    private final int nodeId;
    private final ClusterMetadata metadata;
    private final PartitionManager partitions;
    private final String interBrokerListener;
    private final Supplier<InterBrokerClient> security;
    private final int requestTimeoutMs;
    private final BrokerChannels<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> channels;

    /** Markers waiting for a broker go in one request, each answered with the results of its own producers. */
    static final BrokerChannels.Coalescing<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> MARKER_COALESCING =
            new BrokerChannels.Coalescing<>() {
                @Override
                public WriteTxnMarkersRequestData merge(List<WriteTxnMarkersRequestData> requests) {
                    WriteTxnMarkersRequestData merged = new WriteTxnMarkersRequestData();
                    requests.forEach(request -> merged.markers().addAll(request.markers()));
                    return merged;
                }

                @Override
                public WriteTxnMarkersResponseData part(WriteTxnMarkersResponseData response,
                        WriteTxnMarkersRequestData request) {
                    Set<Long> producerIds = request.markers().stream()
                            .map(WriteTxnMarkersRequestData.WritableTxnMarker::producerId).collect(Collectors.toSet());
                    WriteTxnMarkersResponseData own = new WriteTxnMarkersResponseData();
                    response.markers().stream().filter(result -> producerIds.contains(result.producerId()))
                            .forEach(own.markers()::add);
                    return own;
                }
            };

    public PartitionLeaderMarkerWriter(int nodeId, ClusterMetadata metadata, PartitionManager partitions,
            String interBrokerListener, Supplier<InterBrokerClient> security, int requestTimeoutMs) {
        this.nodeId = nodeId;
        this.metadata = metadata;
        this.partitions = partitions;
        this.interBrokerListener = interBrokerListener;
        this.security = security;
        this.requestTimeoutMs = requestTimeoutMs;
        this.channels = new BrokerChannels<>(this::connect, "tributary-txn-markers-to-", MARKER_COALESCING);
    }

    @Override
    public CompletableFuture<Void> write(TransactionMarker marker, Collection<TopicPartition> targets,
            BooleanSupplier stillCoordinating) {
        return round(marker, new LinkedHashSet<>(targets), stillCoordinating, 0);
    }

    private CompletableFuture<Void> round(TransactionMarker marker, Set<TopicPartition> remaining,
            BooleanSupplier stillCoordinating, int attempt) {
        if (remaining.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!stillCoordinating.getAsBoolean()) {
            return CompletableFuture.failedFuture(new MarkerWriteAbandoned("No longer the coordinator of the transaction"));
        }
        Map<Integer, List<TopicPartition>> byLeader = new HashMap<>();
        Map<TopicPartition, CompletableFuture<Errors>> results = new HashMap<>();
        for (TopicPartition tp : remaining) {
            Optional<PartitionState> state = metadata.partition(tp.topic(), tp.partition());
            if (state.isEmpty()) {
                // A deleted topic's partition needs no marker; one not known yet is asked again.
                results.put(tp, CompletableFuture.completedFuture(metadata.topic(tp.topic()).isEmpty()
                        ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NOT_LEADER_OR_FOLLOWER));
            } else if (state.get().leader() == nodeId || !metadata.isReplicated()) {
                results.put(tp, appendLocally(marker, tp));
            } else {
                byLeader.computeIfAbsent(state.get().leader(), leader -> new ArrayList<>()).add(tp);
            }
        }
        if (!byLeader.isEmpty()) {
            List<BrokerEndpoint> live = metadata.liveBrokers(interBrokerListener);
            channels.retainOnly(live);
            byLeader.forEach((leader, led) -> {
                CompletableFuture<Map<TopicPartition, Errors>> sent = sendTo(leader, live, marker, led);
                for (TopicPartition tp : led) {
                    results.put(tp, sent.thenApply(errors -> errors.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR)));
                }
            });
        }
        return CompletableFuture.allOf(results.values().toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            Set<TopicPartition> next = new LinkedHashSet<>();
            for (Map.Entry<TopicPartition, CompletableFuture<Errors>> result : results.entrySet()) {
                Errors error = result.getValue().isCompletedExceptionally() ? Errors.NOT_LEADER_OR_FOLLOWER
                        : result.getValue().join();
                if (error == Errors.UNKNOWN_TOPIC_OR_PARTITION && metadata.topic(result.getKey().topic()).isPresent()) {
                    error = Errors.NOT_LEADER_OR_FOLLOWER; // a broker that does not hold it (yet): ask the leader again
                }
                switch (error) {
                    case NONE, UNKNOWN_TOPIC_OR_PARTITION -> { } // done, or the topic was deleted: no marker needed
                    case INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED -> {
                        throw new MarkerWriteAbandoned(result.getKey() + " refused the marker of producer "
                                + marker.producerId() + ": " + error.name());
                    }
                    default -> next.add(result.getKey());
                }
            }
            return next;
        }).thenCompose(next -> {
            if (next.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            long backoff = Math.min(MAX_BACKOFF_MS, 50L << Math.min(attempt, 5));
            if (attempt % 10 == 9) {
                log.warn("Markers of producer {} not yet written to {} after {} attempts", marker.producerId(), next,
                        attempt + 1);
            }
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> round(marker, next, stillCoordinating, attempt + 1));
        });
    }

    private CompletableFuture<Errors> appendLocally(TransactionMarker marker, TopicPartition tp) {
        try {
            return partitions.appendTxnMarker(tp, marker.producerId(), marker.producerEpoch(), marker.coordinatorEpoch(),
                    marker.result());
        } catch (RuntimeException e) {
            log.debug("Marker for {} not written here: {}", tp, e.toString());
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        }
    }

    /**
     * One WriteTxnMarkers to a leader for its partitions, on its channel; an unreachable leader is asked
     * again next round.
     */
    private CompletableFuture<Map<TopicPartition, Errors>> sendTo(int leader, List<BrokerEndpoint> live,
            TransactionMarker marker, List<TopicPartition> led) {
        BrokerEndpoint endpoint = live.stream().filter(b -> b.nodeId() == leader).findFirst().orElse(null);
        if (endpoint == null) {
            return CompletableFuture.completedFuture(notLeader(led));
        }
        return channels.send(endpoint, request(marker, led)).handle((response, failure) -> {
            if (failure != null) {
                log.debug("WriteTxnMarkers to broker {} failed: {}", leader, failure.toString());
                return notLeader(led);
            }
            Map<TopicPartition, Errors> errors = new HashMap<>();
            for (WriteTxnMarkersResponseData.WritableTxnMarkerResult result : response.markers()) {
                for (WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topic : result.topics()) {
                    for (WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult partition : topic.partitions()) {
                        errors.put(new TopicPartition(topic.name(), partition.partitionIndex()),
                                Errors.forCode(partition.errorCode()));
                    }
                }
            }
            return errors;
        });
    }

    private static Map<TopicPartition, Errors> notLeader(List<TopicPartition> led) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        led.forEach(tp -> errors.put(tp, Errors.NOT_LEADER_OR_FOLLOWER));
        return errors;
    }

    /** A connection to a broker's inter-broker listener for the channel to it, with its TLS and SASL. */
    private BrokerChannels.Connection<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> connect(
            BrokerEndpoint broker) {
        BrokerConnection connection = new BrokerConnection(broker.host(), broker.port(), "tributary-txn-markers-" + nodeId,
                requestTimeoutMs, security.get());
        return new BrokerChannels.Connection<>() {
            @Override
            public WriteTxnMarkersResponseData send(WriteTxnMarkersRequestData request) {
                WriteTxnMarkersResponse response = connection.call(new WriteTxnMarkersRequest.Builder(request).build());
                return response.data();
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    static WriteTxnMarkersRequestData request(TransactionMarker marker, List<TopicPartition> led) {
        Map<String, WriteTxnMarkersRequestData.WritableTxnMarkerTopic> topics = new HashMap<>();
        for (TopicPartition tp : led) {
            topics.computeIfAbsent(tp.topic(), name -> new WriteTxnMarkersRequestData.WritableTxnMarkerTopic().setName(name))
                    .partitionIndexes().add(tp.partition());
        }
        return new WriteTxnMarkersRequestData().setMarkers(List.of(new WriteTxnMarkersRequestData.WritableTxnMarker()
                .setProducerId(marker.producerId()).setProducerEpoch(marker.producerEpoch())
                .setTransactionResult(marker.result() == TransactionResult.COMMIT)
                .setCoordinatorEpoch(marker.coordinatorEpoch()).setTopics(new ArrayList<>(topics.values()))));
    }

    @Override
    public void close() {
        channels.close();
    }
}
