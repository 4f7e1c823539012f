package io.tributary.broker.fetch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * One client's fetch session (KIP-227): the partitions it fetches, in the order they are read, and the
 * epoch its next request must carry. A partition that is answered with records goes to the end of the
 * order, so that when a response fills up, the next one starts with the partitions left out.
 */
public final class FetchSession {

    /** A partition of the session: by topic id from fetch version 13, by topic name before. */
    public record Key(Uuid topicId, String topic, int partition) {
    }

    private final int id;
    private final boolean usesTopicIds;
    private final boolean privileged;
    private final Map<Key, SessionPartition> partitions = new LinkedHashMap<>();
    private int epoch = FetchMetadata.nextEpoch(FetchMetadata.INITIAL_EPOCH);
    private long lastUsedMs;

    FetchSession(int id, boolean usesTopicIds, boolean privileged, List<SessionPartition> initial, long nowMs) {
        this.id = id;
        this.usesTopicIds = usesTopicIds;
        this.privileged = privileged;
        initial.forEach(p -> partitions.put(key(p.topicId(), p.topic(), p.partition()), p));
        this.lastUsedMs = nowMs;
    }

    public int id() {
        return id;
    }

    boolean usesTopicIds() {
        return usesTopicIds;
    }

    /** A follower's session. */
    boolean privileged() {
        return privileged;
    }

    synchronized int epoch() {
        return epoch;
    }

    synchronized long lastUsedMs() {
        return lastUsedMs;
    }

    synchronized int size() {
        return partitions.size();
    }

    /** The partitions an incremental fetch reads, in order. */
    public synchronized List<SessionPartition> partitions() {
        return new ArrayList<>(partitions.values());
    }

    Key key(Uuid topicId, String topic, int partition) {
        return usesTopicIds ? new Key(topicId, "", partition) : new Key(Uuid.ZERO_UUID, topic, partition);
    }

    /**
     * An incremental request: adds or updates the partitions it names, drops those it forgets, and moves
     * the epoch on. Returns whether partitions are left.
     */
    synchronized boolean update(List<SessionPartition> named, List<Key> forgotten, long nowMs) {
        for (SessionPartition partition : named) {
            Key key = key(partition.topicId(), partition.topic(), partition.partition());
            SessionPartition known = partitions.get(key);
            if (known == null) {
                partitions.put(key, partition);
            } else {
                known.update(partition.fetchOffset(), partition.maxBytes(), partition.currentLeaderEpoch());
            }
        }
        forgotten.forEach(partitions::remove);
        epoch = FetchMetadata.nextEpoch(epoch);
        lastUsedMs = nowMs;
        return !partitions.isEmpty();
    }

    /**
     * Whether the answer to an incremental fetch carries this partition (see
     * {@link SessionPartition#mustAnswer}); one answered with records moves to the end of the order.
     */
    public synchronized boolean answer(SessionPartition partition, int recordBytes, short errorCode, long highWatermark,
            long logStartOffset, boolean redirected) {
        boolean answer = partition.mustAnswer(recordBytes, errorCode, highWatermark, logStartOffset, redirected);
        if (recordBytes > 0) {
            Key key = key(partition.topicId(), partition.topic(), partition.partition());
            if (partitions.remove(key) != null) {
                partitions.put(key, partition);
            }
        }
        return answer;
    }
}
