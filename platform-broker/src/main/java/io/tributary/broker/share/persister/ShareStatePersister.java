package io.tributary.broker.share.persister;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;

/**
 * Where a share-partition's leader keeps the state of its share group's records durably (Kafka's
 * {@code Persister}): the share coordinator that owns the key {@code groupId:topicId:partition}, which
 * stores it in the compacted, replicated {@code __share_group_state} topic, locally or over the wire
 * (ReadShareGroupState / WriteShareGroupState) when another broker leads that key's partition.
 *
 * <p>Futures fail with a {@link io.tributary.broker.coordinator.CoordinatorException} carrying Kafka's
 * error: FENCED_LEADER_EPOCH for a write from a leader older than the one that last wrote, or the
 * coordinator errors (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE) once the
 * persister's own retries within its timeout are spent.
 */
public interface ShareStatePersister {

    /**
     * The state last written for the share-partition, or empty when none was ever written (or it was
     * deleted, or it is not initialized: start offset -1 with nothing in flight, as Kafka answers). The
     * state's leader epoch is -1: ReadShareGroupState does not carry it (a leader writes with its own).
     */
    CompletableFuture<Optional<SharePartitionState>> read(String groupId, Uuid topicId, int partition);

    /**
     * Replaces the stored state of the share-partition with {@code state} (Tributary's leaders always
     * send their whole in-flight state) and completes once the in-sync replicas of the state topic hold it.
     */
    CompletableFuture<Void> write(String groupId, Uuid topicId, int partition, SharePartitionState state);

    /** Removes the share-partition's state (its share group was deleted); completes once held. */
    CompletableFuture<Void> delete(String groupId, Uuid topicId, int partition);
}
