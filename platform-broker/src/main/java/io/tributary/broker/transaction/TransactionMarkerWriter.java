package io.tributary.broker.transaction;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes a transaction's marker to every partition in it (Kafka's {@code TransactionMarkerChannelManager}):
 * the coordinator's only way to the partitions, behind an interface so that the coordinator can be
 * tested without brokers.
 */
public interface TransactionMarkerWriter {

    /**
     * Completes once every partition's leader holds the marker (a partition whose topic was deleted
     * counts as done), retrying on errors that pass (leader moves, too few in-sync replicas); fails
     * with a {@link MarkerWriteAbandoned} when {@code stillCoordinating} turns false or a partition
     * says the coordinator or the producer epoch is stale.
     */
    CompletableFuture<Void> write(TransactionMarker marker, Collection<TopicPartition> partitions,
            BooleanSupplier stillCoordinating);

    /** The markers were not all written and will not be by this coordinator. */
    final class MarkerWriteAbandoned extends RuntimeException {
        public MarkerWriteAbandoned(String message) {
            super(message);
        }
    }
}
