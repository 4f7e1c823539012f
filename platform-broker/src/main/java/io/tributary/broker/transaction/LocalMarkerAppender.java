package io.tributary.broker.transaction;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;

/**
 * Applies a transaction's marker to a partition this broker leads, the one place WriteTxnMarkers and
 * the coordinator's own markers go through: a data partition gets a control batch
 * ({@link PartitionManager#appendTxnMarker}); a partition of {@code __consumer_offsets} (in the
 * transaction since AddOffsetsToTxn) has the group coordinator commit or drop the offsets the
 * producer committed in the transaction.
 */
public final class LocalMarkerAppender {

    private final PartitionManager partitions;
    private final GroupCoordinator groups;

    public LocalMarkerAppender(PartitionManager partitions, GroupCoordinator groups) {
        this.partitions = partitions;
        this.groups = groups;
    }

    /** Completes once the in-sync replicas hold the marker (or its effect), with the partition's error. */
    public CompletableFuture<Errors> append(TopicPartition tp, long producerId, short producerEpoch, int coordinatorEpoch,
            TransactionResult result) {
        try {
            if (tp.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) {
                return groups.completeTransaction(tp.partition(), producerId, producerEpoch,
                        result == TransactionResult.COMMIT);
            }
            return partitions.appendTxnMarker(tp, producerId, producerEpoch, coordinatorEpoch, result)
                    .exceptionally(Errors::forException);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Errors.forException(e));
        }
    }
}
