package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * The admin side of share groups' offsets (what Kafka's {@code GroupCoordinatorService} does for
 * DescribeShareGroupOffsets, AlterShareGroupOffsets, DeleteShareGroupOffsets and the share half of DeleteGroups):
 * the group coordinator says which partitions a group's state may be in and whether it is empty; the
 * {@link ShareStatePersister} holds each share-partition's state, wherever its share coordinator is.
 *
 * <p>Altering writes a share-partition's state afresh, the new start offset with nothing in flight, at a state
 * epoch one above the stored one: a share-partition leader that loaded the old state is fenced
 * (FENCED_STATE_EPOCH) on its next write. Leaders on this broker are told at once ({@link StateReset}), so that
 * the next ShareFetch loads the new state rather than the old one.
 *
 * <p>The group is checked empty before its state is changed, not while: a member joining in between finds the
 * state as it is then (Kafka narrows that window with a record of the partitions being initialized).
 *
 * <p>Thread-safe; nothing blocks.
 */
public final class ShareGroupOffsets {

    /** The start offset of a share-partition whose state was never initialized (Kafka's -1). */
    public static final long UNINITIALIZED = -1;

    /** Told when the durable state of some share-partitions of a group was replaced or deleted. */
    @FunctionalInterface
    public interface StateReset {
        StateReset NONE = (groupId, partitions) -> { };

        void stateReset(String groupId, Set<TopicIdPartition> partitions);
    }

    /** One partition's start offset as described: {@link #UNINITIALIZED} where there is no state, or an error. */
    public record PartitionOffset(int partition, long startOffset, int leaderEpoch, Errors error) {
    }

    /** One topic's partitions as described; the id is {@link Uuid#ZERO_UUID} for a topic that does not exist. */
    public record TopicOffsets(String topic, Uuid topicId, List<PartitionOffset> partitions) {
    }

    private final GroupCoordinator groups;
    private final ShareStatePersister persister;
    private final ClusterMetadata metadata;
    private final StateReset stateReset;

    public ShareGroupOffsets(GroupCoordinator groups, ShareStatePersister persister, ClusterMetadata metadata,
            StateReset stateReset) {
        this.groups = groups;
        this.persister = persister;
        this.metadata = metadata;
        this.stateReset = stateReset;
    }

    // ---------------------------------------------------------------- describing

    /**
     * The start offsets of the group's share-partitions of the topics asked ({@code null}: every partition its
     * state may be in). A topic that does not exist answers -1 for its partitions, as Kafka.
     *
     * @throws CoordinatorException NOT_COORDINATOR and the like
     */
    public CompletableFuture<List<TopicOffsets>> describe(String groupId, Map<String, List<Integer>> topics) {
        checkCoordinator(groupId);
        Map<String, List<Integer>> asked = topics != null ? topics : allStatePartitions(groupId);
        List<CompletableFuture<TopicOffsets>> described = new ArrayList<>();
        asked.forEach((name, partitions) -> described.add(describeTopic(groupId, name, partitions)));
        return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new))
                .thenApply(done -> described.stream().map(CompletableFuture::join).toList());
    }

    private Map<String, List<Integer>> allStatePartitions(String groupId) {
        Map<Uuid, Set<Integer>> statePartitions;
        try {
            statePartitions = groups.shareGroupStatePartitions(groupId);
        } catch (CoordinatorException e) {
            if (e.error() == Errors.GROUP_ID_NOT_FOUND) {
                return Map.of(); // nothing to describe, as Kafka answers for a group it does not know
            }
            throw e;
        }
        Map<String, List<Integer>> byName = new HashMap<>();
        statePartitions.forEach((topicId, partitions) -> metadata.topic(topicId).ifPresent(topic ->
                byName.put(topic.name(), partitions.stream().filter(p -> p < topic.partitionCount()).sorted().toList())));
        return byName;
    }

    private CompletableFuture<TopicOffsets> describeTopic(String groupId, String name, List<Integer> partitions) {
        Optional<TopicInfo> topic = metadata.topic(name);
        if (topic.isEmpty()) {
            return CompletableFuture.completedFuture(new TopicOffsets(name, Uuid.ZERO_UUID, partitions.stream()
                    .map(partition -> new PartitionOffset(partition, UNINITIALIZED, -1, Errors.NONE)).toList()));
        }
        Uuid topicId = topic.get().id();
        List<CompletableFuture<PartitionOffset>> reads = new ArrayList<>();
        for (int partition : partitions) {
            reads.add(persister.read(groupId, topicId, partition).handle((state, failure) -> failure != null
                    ? new PartitionOffset(partition, UNINITIALIZED, -1, CoordinatorException.errorOf(failure))
                    : state.map(s -> new PartitionOffset(partition, s.startOffset(), s.leaderEpoch(), Errors.NONE))
                            .orElseGet(() -> new PartitionOffset(partition, UNINITIALIZED, -1, Errors.NONE))));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                .thenApply(done -> new TopicOffsets(name, topicId, reads.stream().map(CompletableFuture::join).toList()));
    }

    // ---------------------------------------------------------------- altering

    /**
     * Sets the start offsets of the group's share-partitions ({@code offsets}: topic id to partition to offset,
     * topics and partitions that exist), each with nothing in flight; the group must be empty. Completes with each
     * partition's error (NONE when written), or fails with a {@link CoordinatorException}: NOT_COORDINATOR and
     * the like, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP.
     */
    public CompletableFuture<Map<TopicIdPartition, Errors>> alter(String groupId, Map<Uuid, Map<Integer, Long>> offsets) {
        Map<Uuid, Set<Integer>> partitions = new HashMap<>();
        offsets.forEach((topicId, byPartition) -> partitions.put(topicId, new TreeSet<>(byPartition.keySet())));
        return groups.changeShareGroupStatePartitions(groupId, partitions, Set.of()).thenCompose(recorded -> {
            Map<TopicIdPartition, CompletableFuture<Errors>> writes = new HashMap<>();
            offsets.forEach((topicId, byPartition) -> byPartition.forEach((partition, offset) ->
                    writes.put(new TopicIdPartition(topicId, partition, null), reset(groupId, topicId, partition, offset))));
            return allOf(writes).whenComplete((errors, failure) -> stateReset.stateReset(groupId, writes.keySet()));
        });
    }

    /** Writes a share-partition's state afresh at {@code startOffset}, one state epoch above the stored one. */
    private CompletableFuture<Errors> reset(String groupId, Uuid topicId, int partition, long startOffset) {
        return persister.read(groupId, topicId, partition).thenCompose(stored -> {
            SharePartitionState fresh = new SharePartitionState(nextStateEpoch(stored), -1, startOffset, List.of());
            return persister.write(groupId, topicId, partition, fresh);
        }).handle((written, failure) -> failure == null ? Errors.NONE : CoordinatorException.errorOf(failure));
    }

    /**
     * One above the stored state epoch, and at least 1: a leader that started a share-partition with no stored
     * state (epoch 0) is fenced too.
     */
    static int nextStateEpoch(Optional<SharePartitionState> stored) {
        return stored.map(state -> state.stateEpoch() + 1).orElse(1);
    }

    // ---------------------------------------------------------------- deleting

    /**
     * Deletes the group's share-partition states of these topics (ids of topics that exist); the group must be
     * empty. Completes with each topic's error: NONE when deleted, UNKNOWN_TOPIC_OR_PARTITION for a topic whose
     * state is not the group's (as Kafka); or fails with a {@link CoordinatorException}: NOT_COORDINATOR and the
     * like, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP.
     */
    public CompletableFuture<Map<Uuid, Errors>> deleteTopics(String groupId, Set<Uuid> topicIds) {
        Map<Uuid, Set<Integer>> statePartitions;
        try {
            statePartitions = groups.shareGroupStatePartitions(groupId);
            checkEmpty(groupId);
        } catch (CoordinatorException e) {
            return CompletableFuture.failedFuture(e);
        }
        Map<Uuid, CompletableFuture<Errors>> deletions = new HashMap<>();
        for (Uuid topicId : topicIds) {
            deletions.put(topicId, statePartitions.containsKey(topicId)
                    ? deleteStates(groupId, Map.of(topicId, statePartitions.get(topicId)))
                    : CompletableFuture.completedFuture(Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        return allOf(deletions).thenCompose(errors -> {
            // Topics whose state is gone are no longer the group's; the others stay, to be deleted again.
            Set<Uuid> deleted = new HashSet<>();
            errors.forEach((topicId, error) -> {
                if (error == Errors.NONE) {
                    deleted.add(topicId);
                }
            });
            return deleted.isEmpty() ? CompletableFuture.completedFuture(errors)
                    : groups.changeShareGroupStatePartitions(groupId, Map.of(), deleted).thenApply(recorded -> errors);
        });
    }

    /** NON_EMPTY_GROUP unless the group has no members now. */
    private void checkEmpty(String groupId) {
        if (!groups.describe(groupId).map(GroupCoordinator.GroupSummary::isEmpty).orElse(false)) {
            throw new CoordinatorException(Errors.NON_EMPTY_GROUP, "The group " + groupId + " has active members.");
        }
    }

    /**
     * DeleteGroups of a group of any type: a share group's share-partition states are deleted first (Kafka's
     * order), then the group. Completes with the group's error.
     */
    public CompletableFuture<Errors> deleteGroup(String groupId) {
        if (groups.groupType(groupId).orElse(null) != GroupType.SHARE) {
            return groups.deleteGroupAsync(groupId);
        }
        Map<Uuid, Set<Integer>> statePartitions;
        try {
            statePartitions = groups.shareGroupStatePartitions(groupId);
            checkEmpty(groupId);
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(e.error());
        }
        return deleteStates(groupId, statePartitions).thenCompose(error ->
                error == Errors.NONE ? groups.deleteGroupAsync(groupId) : CompletableFuture.completedFuture(error));
    }

    /** Deletes the states of these partitions; the first error, or NONE. Local leaders are told. */
    private CompletableFuture<Errors> deleteStates(String groupId, Map<Uuid, Set<Integer>> partitions) {
        List<CompletableFuture<Errors>> deletions = new ArrayList<>();
        Set<TopicIdPartition> deleted = new HashSet<>();
        partitions.forEach((topicId, indexes) -> indexes.forEach(partition -> {
            deleted.add(new TopicIdPartition(topicId, partition, null));
            deletions.add(persister.delete(groupId, topicId, partition)
                    .handle((done, failure) -> failure == null ? Errors.NONE : deleteError(failure)));
        }));
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(done -> {
            stateReset.stateReset(groupId, deleted);
            return deletions.stream().map(CompletableFuture::join).filter(error -> error != Errors.NONE)
                    .findFirst().orElse(Errors.NONE);
        });
    }

    /** A partition deleted since (its topic or its partitions gone) has no state left to delete. */
    private static Errors deleteError(Throwable failure) {
        Errors error = CoordinatorException.errorOf(failure);
        return error == Errors.UNKNOWN_TOPIC_OR_PARTITION ? Errors.NONE : error;
    }

    // ----------------------------------------------------------------

    private void checkCoordinator(String groupId) {
        Errors error = groups.coordinatorError(groupId);
        if (error != Errors.NONE) {
            throw new CoordinatorException(error, "This broker does not coordinate group " + groupId + " now");
        }
    }

    private static <K> CompletableFuture<Map<K, Errors>> allOf(Map<K, CompletableFuture<Errors>> futures) {
        return CompletableFuture.allOf(futures.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<K, Errors> errors = new HashMap<>();
            futures.forEach((key, future) -> errors.put(key, future.join()));
            return errors;
        });
    }
}
