package io.tributary.broker.fetch;

import org.apache.kafka.common.Uuid;

/**
 * One partition of a fetch session: where the client last asked to read it from, and what it was last
 * told of it (so that an incremental answer can leave it out when nothing changed).
 *
 * <p>Guarded by its session's lock.
 */
public final class SessionPartition {

    private final Uuid topicId;
    private final String topic;
    private final int partition;
    private long fetchOffset;
    private int maxBytes;
    private int currentLeaderEpoch;
    /** The high watermark the client was last told; -1 before it was told one, or after an error. */
    private long highWatermarkSent = -1;
    private long logStartOffsetSent = -1;

    /** A partition as a fetch request names it. */
    public SessionPartition(Uuid topicId, String topic, int partition, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
        this.topicId = topicId;
        this.topic = topic;
        this.partition = partition;
        update(fetchOffset, maxBytes, currentLeaderEpoch);
    }

    void update(long fetchOffset, int maxBytes, int currentLeaderEpoch) {
        this.fetchOffset = fetchOffset;
        this.maxBytes = maxBytes;
        this.currentLeaderEpoch = currentLeaderEpoch;
    }

    /** The topic's id in a session of fetch version 13 and later, {@link Uuid#ZERO_UUID} before. */
    public Uuid topicId() {
        return topicId;
    }

    /** The topic's name in a session of fetch versions 7 to 12, {@code ""} later (the id names the topic). */
    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long fetchOffset() {
        return fetchOffset;
    }

    public int maxBytes() {
        return maxBytes;
    }

    public int currentLeaderEpoch() {
        return currentLeaderEpoch;
    }

    /**
     * Whether an incremental answer must carry this partition — records, an error, a new high watermark or
     * log start offset, a read replica to go to — and remembers what it carries. As in Kafka, an error
     * forgets the high watermark sent, so that the partition is answered again once the error is gone.
     */
    boolean mustAnswer(int recordBytes, short errorCode, long highWatermark, long logStartOffset, boolean redirected) {
        boolean answer = recordBytes > 0 || redirected || errorCode != 0;
        if (highWatermark != highWatermarkSent) {
            answer = true;
            highWatermarkSent = highWatermark;
        }
        if (logStartOffset != logStartOffsetSent) {
            answer = true;
            logStartOffsetSent = logStartOffset;
        }
        if (errorCode != 0) {
            highWatermarkSent = -1;
        }
        return answer;
    }
}
