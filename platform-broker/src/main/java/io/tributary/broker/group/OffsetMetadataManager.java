package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed offsets of the groups of one partition of {@code __consumer_offsets} (Kafka's
 * {@code OffsetMetadataManager}): OffsetCommit, OffsetFetch, OffsetDelete and the expiry of an empty
 * group's offsets. Each produces offset records (or tombstones); an offset becomes visible only when
 * they are replayed, once the in-sync replicas hold them, so that no one reads an offset a failover
 * could lose.
 */
final class OffsetMetadataManager {

    private static final Logger log = LoggerFactory.getLogger(OffsetMetadataManager.class);
    private static final CommittedOffset NONE = new CommittedOffset(-1, -1, "", -1);

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final GroupMetadataManager groups;
    private final CoordinatorWriter writer;
    /**
     * Offsets that transactions committed (TxnOffsetCommit) and that wait for their marker: they take
     * effect when the transaction commits and are dropped when it aborts. Guarded by itself.
     */
    private final Map<Long, List<PendingOffset>> pendingByProducer = new HashMap<>();

    /** One offset of an open transaction, with the position of its record. */
    private record PendingOffset(String groupId, TopicPartition topicPartition, CommittedOffset offset, long position) {
    }

    OffsetMetadataManager(GroupCoordinatorConfig config, Clock clock, GroupMetadataManager groups, CoordinatorWriter writer) {
        this.config = config;
        this.clock = clock;
        this.groups = groups;
        this.writer = writer;
    }

    /** Whether a commit's metadata string is over {@code offset.metadata.max.bytes}: refused for its partition only. */
    boolean metadataTooLarge(GroupCoordinator.OffsetToCommit offset) {
        return offset.metadata() != null && offset.metadata().length() > config.offsetMetadataMaxBytes();
    }

    /**
     * An OffsetCommit: the records of the offsets a member of the current generation (or a simple
     * consumer of a group without members) may commit, and an error per partition.
     */
    CoordinatorResult<Map<TopicPartition, Errors>> commitOffsets(String groupId, int generationId, String memberId,
            String groupInstanceId, List<GroupCoordinator.OffsetToCommit> offsets) {
        Group group = generationId < 0 ? groups.getOrCreate(groupId) : groups.group(groupId);
        if (group == null) {
            return CoordinatorResult.answer(allFailed(offsets, Errors.ILLEGAL_GENERATION));
        }
        synchronized (group) {
            Errors error = groups.validateOffsetCommit(group, generationId, memberId, groupInstanceId);
            if (error != Errors.NONE) {
                return CoordinatorResult.answer(allFailed(offsets, error));
            }
            Map<TopicPartition, Errors> results = new HashMap<>();
            List<SimpleRecord> records = offsetRecords(groupId, offsets, results);
            return CoordinatorResult.of(records, results);
        }
    }

    /** The records of a commit's offsets, and NONE or OFFSET_METADATA_TOO_LARGE for each partition. */
    private List<SimpleRecord> offsetRecords(String groupId, List<GroupCoordinator.OffsetToCommit> offsets,
            Map<TopicPartition, Errors> results) {
        List<SimpleRecord> records = new ArrayList<>();
        long now = clock.millis();
        for (GroupCoordinator.OffsetToCommit offset : offsets) {
            if (metadataTooLarge(offset)) {
                results.put(offset.topicPartition(), Errors.OFFSET_METADATA_TOO_LARGE);
                continue;
            }
            String metadata = offset.metadata() == null ? "" : offset.metadata();
            records.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(groupId, offset.topicPartition()),
                    CoordinatorRecords.offsetValue(new CommittedOffset(offset.offset(), offset.leaderEpoch(), metadata, now))));
            results.put(offset.topicPartition(), Errors.NONE);
        }
        return records;
    }

    /** The partitions of the group with an offset that an open transaction committed (UNSTABLE_OFFSET_COMMIT). */
    Set<TopicPartition> pendingTransactionalOffsets(String groupId) {
        Set<TopicPartition> pending = new java.util.HashSet<>();
        synchronized (pendingByProducer) {
            pendingByProducer.values().forEach(offsets -> offsets.stream()
                    .filter(offset -> offset.groupId().equals(groupId))
                    .forEach(offset -> pending.add(offset.topicPartition())));
        }
        return pending;
    }

    /** Whether an open transaction committed an offset of this group's partition. */
    private boolean hasPendingOffset(String groupId, TopicPartition tp) {
        return pendingTransactionalOffsets(groupId).contains(tp);
    }

    /**
     * A TxnOffsetCommit: the offset records, written as a batch of the producer's transaction, and an
     * error per partition. The offsets stay pending until the transaction's marker.
     */
    CoordinatorResult<Map<TopicPartition, Errors>> commitTransactionalOffsets(String groupId,
            CoordinatorResult.TransactionalProducer producer, int generationId, String memberId, String groupInstanceId,
            List<GroupCoordinator.OffsetToCommit> offsets) {
        Group group = groups.group(groupId);
        if (group == null && generationId >= 0) {
            return CoordinatorResult.answer(allFailed(offsets, Errors.ILLEGAL_GENERATION));
        }
        if (group == null) {
            group = groups.getOrCreate(groupId); // a producer outside group management commits for a "simple" group
        }
        synchronized (group) {
            Errors error = groups.validateTransactionalOffsetCommit(group, generationId, memberId, groupInstanceId);
            if (error != Errors.NONE) {
                return CoordinatorResult.answer(allFailed(offsets, error));
            }
            Map<TopicPartition, Errors> results = new HashMap<>();
            List<SimpleRecord> records = offsetRecords(groupId, offsets, results);
            return CoordinatorResult.transactional(producer, records, results);
        }
    }

    private static Map<TopicPartition, Errors> allFailed(List<GroupCoordinator.OffsetToCommit> offsets, Errors error) {
        Map<TopicPartition, Errors> results = new HashMap<>();
        offsets.forEach(offset -> results.put(offset.topicPartition(), error));
        return results;
    }

    /** The group's committed offsets: all of them, or those of the given partitions (-1 where none). */
    Map<TopicPartition, CommittedOffset> committedOffsets(String groupId, Collection<TopicPartition> requested) {
        Map<TopicPartition, CommittedOffset> result = new LinkedHashMap<>();
        Group group = groups.group(groupId);
        if (group == null) {
            if (requested != null) {
                requested.forEach(tp -> result.put(tp, NONE));
            }
            return result;
        }
        synchronized (group) {
            if (requested == null) {
                result.putAll(group.offsets);
            } else {
                requested.forEach(tp -> result.put(tp, group.offsets.getOrDefault(tp, NONE)));
            }
        }
        return result;
    }

    /** Holds the group's lock. Tombstones for every offset the group committed. */
    List<SimpleRecord> tombstones(Group group) {
        List<SimpleRecord> tombstones = new ArrayList<>();
        long now = clock.millis();
        for (TopicPartition tp : group.offsets.keySet()) {
            tombstones.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(group.groupId, tp), null));
        }
        return tombstones;
    }

    /**
     * An OffsetDelete: tombstones for the committed offsets of partitions the group does not consume.
     *
     * @param subscribedTopics the topics the group's members subscribe to
     */
    CoordinatorResult<Map<TopicPartition, Errors>> deleteOffsets(String groupId, Collection<TopicPartition> partitionsToDelete,
            Function<GroupCoordinator.GroupSummary, Set<String>> subscribedTopics) {
        Group group = groups.group(groupId);
        if (group == null) {
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " does not exist");
        }
        if (group instanceof ShareGroup) {
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
        }
        Set<String> subscribed = group.isEmptyState() ? Set.of()
                : subscribedTopics.apply(groups.describe(groupId).orElseThrow(
                        () -> new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " does not exist")));
        Map<TopicPartition, Errors> results = new HashMap<>();
        List<SimpleRecord> tombstones = new ArrayList<>();
        synchronized (group) {
            long now = clock.millis();
            for (TopicPartition tp : partitionsToDelete) {
                if (subscribed.contains(tp.topic())) {
                    results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    if (group.offsets.containsKey(tp)) {
                        tombstones.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(groupId, tp), null));
                    }
                    results.put(tp, Errors.NONE);
                }
            }
        }
        return CoordinatorResult.of(tombstones, results);
    }

    /** Removes the offsets of groups that stayed empty longer than {@code offsets.retention.minutes}. */
    void expireOffsets() {
        groups.pruneTombstones();
        long now = clock.millis();
        for (Group group : groups.all()) {
            try {
                synchronized (group) {
                    if (!group.isEmptyState() || group.deletionPending || group instanceof ShareGroup) {
                        continue; // an empty share group stays until deleted, as in Kafka: it has no offsets to expire
                    }
                    List<SimpleRecord> tombstones = new ArrayList<>();
                    boolean standalone = group.offsetsExpireOneByOne();
                    for (Map.Entry<TopicPartition, CommittedOffset> entry : group.offsets.entrySet()) {
                        if (hasPendingOffset(group.groupId, entry.getKey())) {
                            continue; // as Kafka: an offset an open transaction will replace is not expired under it
                        }
                        long since = standalone ? entry.getValue().commitTimestamp() : group.stateTimestamp;
                        if (now - since >= config.offsetsRetentionMs()) {
                            tombstones.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(group.groupId, entry.getKey()), null));
                        }
                    }
                    if (tombstones.size() == group.offsets.size()) {
                        log.info("Group {}: expiring {} committed offsets after offsets.retention.minutes, and the group",
                                group.groupId, tombstones.size());
                        warnOnFailure(group, groups.writeDeletion(group, tombstones));
                    } else if (!tombstones.isEmpty()) {
                        log.info("Group {}: expiring {} committed offsets after offsets.retention.minutes", group.groupId,
                                tombstones.size());
                        warnOnFailure(group, writer.write(CoordinatorResult.of(tombstones, (Void) null)));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Group {}: offset expiration failed: {}", group.groupId, e.toString());
            }
        }
    }

    private static void warnOnFailure(Group group, java.util.concurrent.CompletableFuture<Void> written) {
        written.whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("Group {}: offset expiration failed: {}", group.groupId, CoordinatorException.errorOf(failure));
            }
        });
    }

    /**
     * Applies an offset record written at {@code position}; a null value is a tombstone. An older
     * record than the one applied, or than the group's deletion, is ignored.
     */
    void replay(String groupId, TopicPartition tp, ByteBuffer value, long position) {
        apply(groupId, tp, value == null ? null : CoordinatorRecords.readOffset(value), position);
    }

    /** Applies an offset record a transaction wrote: it waits for the transaction's marker. */
    void replayTransactional(String groupId, TopicPartition tp, ByteBuffer value, long position, long producerId) {
        if (value == null) {
            return; // transactions commit offsets; they never delete them
        }
        PendingOffset pending = new PendingOffset(groupId, tp, CoordinatorRecords.readOffset(value), position);
        synchronized (pendingByProducer) {
            pendingByProducer.computeIfAbsent(producerId, id -> new ArrayList<>()).add(pending);
        }
    }

    /**
     * A transaction's marker: on COMMIT its pending offsets take effect, each unless a later commit
     * (by its record's position) already replaced it; on ABORT they are dropped.
     */
    void replayEndTransaction(long producerId, boolean committed) {
        List<PendingOffset> offsets;
        synchronized (pendingByProducer) {
            offsets = pendingByProducer.remove(producerId);
        }
        if (offsets == null || !committed) {
            return;
        }
        for (PendingOffset pending : offsets) {
            apply(pending.groupId(), pending.topicPartition(), pending.offset(), pending.position());
        }
    }

    private void apply(String groupId, TopicPartition tp, CommittedOffset offset, long position) {
        if (groups.deletedAfter(groupId, position)) {
            return;
        }
        Group group = offset == null ? groups.group(groupId) : groups.getOrCreate(groupId);
        if (group == null) {
            return;
        }
        synchronized (group) {
            Long applied = group.offsetPositions.get(tp);
            if (applied != null && applied >= position) {
                return;
            }
            group.offsetPositions.put(tp, position);
            if (offset == null) {
                group.offsets.remove(tp);
            } else {
                group.offsets.put(tp, offset);
            }
        }
    }
}
