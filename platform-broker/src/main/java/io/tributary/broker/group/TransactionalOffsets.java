package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.coordinator.CoordinatorResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * Offsets committed inside transactions (TxnOffsetCommit) of the groups of one partition of
 * {@code __consumer_offsets}: pending, per producer, until the transaction coordinator ends the
 * transaction here; on commit they become the groups' committed offsets, on abort they are dropped,
 * each in one write. Where Kafka stores them as a transactional batch closed by a marker, Tributary
 * stores pending-offset records and their resolution, so that a load replays the same outcome.
 *
 * <p>A producer's epoch is remembered once one of its transactions ends here: a TxnOffsetCommit of an
 * older epoch (a zombie fenced by a newer producer or by the timeout) is refused with
 * INVALID_PRODUCER_EPOCH, and pending offsets of another epoch than the committing one are dropped.
 *
 * <p>Thread-safe: guarded by its own monitor (and a group's, to check the member).
 */
final class TransactionalOffsets {

    private record GroupPartition(String groupId, TopicPartition topicPartition) {
    }

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final GroupMetadataManager groups;
    private final Map<Long, Map<GroupPartition, CoordinatorRecords.PendingOffset>> pending = new HashMap<>();
    private final Map<Long, Short> lowestEpochs = new HashMap<>();

    TransactionalOffsets(GroupCoordinatorConfig config, Clock clock, GroupMetadataManager groups) {
        this.config = config;
        this.clock = clock;
        this.groups = groups;
    }

    /** A TxnOffsetCommit: pending-offset records, and an error per partition. */
    CoordinatorResult<Map<TopicPartition, Errors>> commit(String groupId, long producerId, short producerEpoch,
            int generationId, String memberId, String groupInstanceId, List<GroupCoordinator.OffsetToCommit> offsets) {
        synchronized (this) {
            Short lowest = lowestEpochs.get(producerId);
            if (lowest != null && producerEpoch < lowest) {
                return CoordinatorResult.answer(allFailed(offsets, Errors.INVALID_PRODUCER_EPOCH));
            }
        }
        if (generationId >= 0 || (memberId != null && !memberId.isEmpty())) {
            Group group = groups.group(groupId);
            if (group == null) {
                return CoordinatorResult.answer(allFailed(offsets, Errors.ILLEGAL_GENERATION));
            }
            synchronized (group) {
                Errors error = groups.validateOffsetCommit(group, generationId, memberId, groupInstanceId);
                if (error != Errors.NONE) {
                    return CoordinatorResult.answer(allFailed(offsets, error));
                }
            }
        }
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        List<SimpleRecord> records = new ArrayList<>();
        long now = clock.millis();
        for (GroupCoordinator.OffsetToCommit offset : offsets) {
            if (offset.metadata() != null && offset.metadata().length() > config.offsetMetadataMaxBytes()) {
                results.put(offset.topicPartition(), Errors.OFFSET_METADATA_TOO_LARGE);
                continue;
            }
            CommittedOffset committed = new CommittedOffset(offset.offset(), offset.leaderEpoch(),
                    offset.metadata() == null ? "" : offset.metadata(), now);
            records.add(new SimpleRecord(now, CoordinatorRecords.pendingOffsetKey(groupId, offset.topicPartition(), producerId),
                    CoordinatorRecords.pendingOffsetValue(new CoordinatorRecords.PendingOffset(producerEpoch, committed))));
            results.put(offset.topicPartition(), Errors.NONE);
        }
        return CoordinatorResult.of(records, results);
    }

    /**
     * The end of a producer's transaction here (its marker): on commit the offsets it committed at
     * {@code producerEpoch} become committed offsets, every pending one is removed, and older epochs
     * are refused from now on. A repeated end finds nothing left and writes nothing.
     */
    synchronized CoordinatorResult<Errors> complete(long producerId, short producerEpoch, boolean commit) {
        Map<GroupPartition, CoordinatorRecords.PendingOffset> offsets = pending.getOrDefault(producerId, Map.of());
        Short lowest = lowestEpochs.get(producerId);
        if (offsets.isEmpty() && lowest != null && lowest >= producerEpoch) {
            return CoordinatorResult.answer(Errors.NONE);
        }
        long now = clock.millis();
        List<SimpleRecord> records = new ArrayList<>();
        offsets.forEach((key, offset) -> {
            if (commit && offset.producerEpoch() == producerEpoch) {
                records.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(key.groupId(), key.topicPartition()),
                        CoordinatorRecords.offsetValue(offset.offset())));
            }
            records.add(new SimpleRecord(now, CoordinatorRecords.pendingOffsetKey(key.groupId(), key.topicPartition(),
                    producerId), null));
        });
        records.add(new SimpleRecord(now, CoordinatorRecords.producerKey(producerId),
                CoordinatorRecords.producerValue(producerEpoch)));
        return CoordinatorResult.of(records, Errors.NONE);
    }

    /** Whether a transaction still holds an offset of the group's partition (OffsetFetch with requireStable waits). */
    synchronized boolean hasPending(String groupId, TopicPartition topicPartition) {
        GroupPartition key = new GroupPartition(groupId, topicPartition);
        return pending.values().stream().anyMatch(offsets -> offsets.containsKey(key));
    }

    synchronized void replayPending(String groupId, TopicPartition topicPartition, long producerId, ByteBuffer value) {
        GroupPartition key = new GroupPartition(groupId, topicPartition);
        if (value == null) {
            Map<GroupPartition, CoordinatorRecords.PendingOffset> offsets = pending.get(producerId);
            if (offsets != null) {
                offsets.remove(key);
                if (offsets.isEmpty()) {
                    pending.remove(producerId);
                }
            }
        } else {
            pending.computeIfAbsent(producerId, id -> new HashMap<>()).put(key, CoordinatorRecords.readPendingOffset(value));
        }
    }

    synchronized void replayProducer(long producerId, ByteBuffer value) {
        if (value == null) {
            lowestEpochs.remove(producerId);
        } else {
            lowestEpochs.merge(producerId, CoordinatorRecords.readProducerEpoch(value), (a, b) -> a >= b ? a : b);
        }
    }

    private static Map<TopicPartition, Errors> allFailed(List<GroupCoordinator.OffsetToCommit> offsets, Errors error) {
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        offsets.forEach(offset -> results.put(offset.topicPartition(), error));
        return results;
    }
}
