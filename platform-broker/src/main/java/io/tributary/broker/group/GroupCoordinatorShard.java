package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorShard;
import io.tributary.broker.coordinator.CoordinatorWriter;
import io.tributary.broker.group.assignor.PartitionRacks;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of one partition of {@code __consumer_offsets} (Kafka's {@code GroupCoordinatorShard}):
 * routes each replayed record to the manager it concerns, and does what spans both.
 */
final class GroupCoordinatorShard implements CoordinatorShard {

    private static final Logger log = LoggerFactory.getLogger(GroupCoordinatorShard.class);

    final GroupMetadataManager groups;
    final OffsetMetadataManager offsets;

    GroupCoordinatorShard(GroupCoordinatorConfig config, ScheduledExecutorService scheduler, Clock clock,
            CoordinatorWriter writer) {
        this(config, scheduler, clock, writer, List::of);
    }

    /** @param topics the cluster's topics, which consumer groups subscribe to and are assigned from */
    GroupCoordinatorShard(GroupCoordinatorConfig config, ScheduledExecutorService scheduler, Clock clock,
            CoordinatorWriter writer, Supplier<Collection<TopicInfo>> topics) {
        this(config, scheduler, clock, writer, topics, () -> PartitionRacks.NONE);
    }

    /** @param racks where the topics' partitions have replicas, a snapshot of the cluster at each call */
    GroupCoordinatorShard(GroupCoordinatorConfig config, ScheduledExecutorService scheduler, Clock clock,
            CoordinatorWriter writer, Supplier<Collection<TopicInfo>> topics, Supplier<PartitionRacks> racks) {
        this.groups = new GroupMetadataManager(config, scheduler, clock, writer, topics, racks);
        this.offsets = new OffsetMetadataManager(config, clock, groups, writer);
    }

    @Override
    public void replay(ByteBuffer key, ByteBuffer value, long offset) {
        CoordinatorRecords.Key decoded = CoordinatorRecords.readKey(key);
        if (decoded.isOffset()) {
            offsets.replay(decoded.groupId(), decoded.topicPartition(), value, offset);
        } else {
            groups.replay(decoded.groupId(), value, offset);
        }
    }

    @Override
    public void replayTransactional(ByteBuffer key, ByteBuffer value, long offset, long producerId) {
        CoordinatorRecords.Key decoded = CoordinatorRecords.readKey(key);
        if (!decoded.isOffset()) {
            throw new IllegalStateException("Only offsets are written in transactions, found group " + decoded.groupId()
                    + "'s metadata at " + offset);
        }
        offsets.replayTransactional(decoded.groupId(), decoded.topicPartition(), value, offset, producerId);
    }

    @Override
    public void replayEndTransaction(long producerId, TransactionResult result, long offset) {
        offsets.replayEndTransaction(producerId, result == TransactionResult.COMMIT);
    }

    @Override
    public void onLoaded() {
        groups.activate();
    }

    @Override
    public void onUnloaded() {
        groups.unloadAll();
    }

    /** Deletes an empty group and its offsets (DeleteGroups): done once the in-sync replicas hold the tombstones. */
    CompletableFuture<Errors> deleteGroup(String groupId) {
        Group group = groups.group(groupId);
        if (group == null) {
            return CompletableFuture.completedFuture(Errors.GROUP_ID_NOT_FOUND);
        }
        CompletableFuture<Void> written;
        synchronized (group) {
            if (group.isGone()) {
                return CompletableFuture.completedFuture(Errors.GROUP_ID_NOT_FOUND);
            }
            if (!group.isEmptyState()) {
                return CompletableFuture.completedFuture(Errors.NON_EMPTY_GROUP);
            }
            written = groups.writeDeletion(group, offsets.tombstones(group));
        }
        return written.handle((ignored, failure) -> {
            if (failure != null) {
                return CoordinatorException.errorOf(failure);
            }
            log.info("Deleted group {}", groupId);
            return Errors.NONE;
        });
    }

    @Override
    public String toString() {
        return groups.size() + " groups";
    }
}
