package io.tributary.broker.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.partition.LocalReplica;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;

/**
 * The replica fetchers of this broker: one per broker that leads a partition this broker follows,
 * each given exactly the partitions it must follow from that leader, in their current epoch.
 *
 * <p>Thread-safe: updates are serialized.
 */
final class ReplicaFetchers implements AutoCloseable {

    private final int localId;
    private final LongSupplier brokerEpoch;
    private final PartitionManager partitions;
    private final Map<Integer, ReplicaFetcher> bySource = new HashMap<>();
    private boolean closed;

    private final InterBrokerClient security;

    ReplicaFetchers(int localId, PartitionManager partitions, InterBrokerClient security) {
        this(localId, () -> BrokerRegistration.UNKNOWN_EPOCH, partitions, security);
    }

    /** @param brokerEpoch this broker's current broker epoch, which its fetches send */
    ReplicaFetchers(int localId, LongSupplier brokerEpoch, PartitionManager partitions, InterBrokerClient security) {
        this.localId = localId;
        this.brokerEpoch = brokerEpoch;
        this.partitions = partitions;
        this.security = security;
    }

    /** Follows the followed replicas of {@code wanted} from their leaders as {@code image} places them. */
    synchronized void update(MetadataImage image, Map<TopicPartition, LocalReplica> wanted) {
        if (closed) {
            return;
        }
        Map<Integer, Map<TopicPartition, ReplicaFetcher.Target>> targets = new HashMap<>();
        for (Map.Entry<TopicPartition, LocalReplica> entry : wanted.entrySet()) {
            PartitionState state = entry.getValue().state();
            BrokerRegistration leader = image.brokers().get(state.leader());
            if (state.leader() == localId || state.leader() == PartitionState.NO_LEADER || leader == null) {
                continue;
            }
            targets.computeIfAbsent(state.leader(), id -> new HashMap<>()).put(entry.getKey(),
                    new ReplicaFetcher.Target(entry.getKey(), entry.getValue().topic().id(), state.leaderEpoch()));
        }
        for (var it = bySource.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            BrokerRegistration source = image.brokers().get(entry.getKey());
            boolean moved = source == null || !entry.getValue().fetchesFrom(source.host(), source.port());
            if (moved || !targets.containsKey(entry.getKey())) {
                entry.getValue().stop();
                it.remove();
            }
        }
        targets.forEach((sourceId, partitionTargets) -> {
            BrokerRegistration source = image.brokers().get(sourceId);
            bySource.computeIfAbsent(sourceId, id -> new ReplicaFetcher(localId, brokerEpoch, id, source.host(),
                    source.port(), partitions, security)).assign(partitionTargets);
        });
    }

    /** Why fetching from each failing source broker fails, by its node id. */
    synchronized Map<Integer, String> failures() {
        Map<Integer, String> failures = new java.util.TreeMap<>();
        bySource.forEach((id, fetcher) -> fetcher.failure().ifPresent(reason -> failures.put(id, reason)));
        return failures;
    }

    @Override
    public synchronized void close() {
        closed = true;
        bySource.values().forEach(ReplicaFetcher::close);
        bySource.clear();
    }
}
