package io.tributary.broker.log;

import java.util.Locale;
import org.apache.kafka.common.record.TimestampType;

/**
 * The settings of one partition log, named after (and defaulting to) Kafka's topic configs.
 *
 * @param segmentBytes      {@code segment.bytes}: roll to a new segment before one grows past this size
 * @param segmentMs         {@code segment.ms}: roll a non-empty segment whose first batch is older than this
 * @param segmentIndexBytes {@code segment.index.bytes}: the size an active segment's index files are preallocated to
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes of batches between two sparse index entries
 * @param retentionMs       {@code retention.ms}: delete closed segments whose newest record is older; -1 keeps forever
 * @param retentionBytes    {@code retention.bytes}: delete the oldest closed segments while the log is larger; -1 means no limit
 * @param flushMessages     {@code flush.messages}: fsync after this many records; {@link Long#MAX_VALUE} leaves it to the OS
 * @param flushMs           {@code flush.ms}: fsync data older than this; {@link Long#MAX_VALUE} leaves it to the OS
 * @param maxMessageBytes   {@code max.message.bytes}: the largest record batch accepted
 * @param timestampType     {@code message.timestamp.type}: keep the producer's CreateTime or stamp LogAppendTime
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long a deleted segment's files stay readable
 * @param delete            {@code cleanup.policy} holds {@code delete}: retention by time and size applies
 * @param compact           {@code cleanup.policy} holds {@code compact}: the cleaner keeps the latest record per key
 * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone outlives the first cleaning that saw it
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: a record stays uncompacted at least this long
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the dirty share of the cleanable bytes that
 *                          triggers a cleaning
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int segmentIndexBytes,
        int indexIntervalBytes,
        long retentionMs,
        long retentionBytes,
        long flushMessages,
        long flushMs,
        int maxMessageBytes,
        TimestampType timestampType,
        long fileDeleteDelayMs,
        boolean delete,
        boolean compact,
        long deleteRetentionMs,
        long minCompactionLagMs,
        double minCleanableDirtyRatio) {

    /**
     * Kafka's defaults: 1 GiB segments rolled weekly, 7 days' retention, flushing left to the OS, the
     * delete cleanup policy, tombstones kept a day.
     */
    public static final LogConfig DEFAULT = new LogConfig(
            1024 * 1024 * 1024, 7L * 24 * 60 * 60 * 1000, 10 * 1024 * 1024, 4096,
            7L * 24 * 60 * 60 * 1000, -1, Long.MAX_VALUE, Long.MAX_VALUE,
            1024 * 1024 + 12, TimestampType.CREATE_TIME, 60_000,
            true, false, 24L * 60 * 60 * 1000, 0, 0.5);

    public LogConfig {
        if (segmentBytes < 14) {
            throw new IllegalArgumentException("segment.bytes must be at least 14, was " + segmentBytes);
        }
        if (segmentMs <= 0) {
            throw new IllegalArgumentException("segment.ms must be positive, was " + segmentMs);
        }
        if (segmentIndexBytes < 2 * TimeIndex.ENTRY_SIZE) {
            throw new IllegalArgumentException("segment.index.bytes must be at least " + 2 * TimeIndex.ENTRY_SIZE);
        }
        if (indexIntervalBytes < 0) {
            throw new IllegalArgumentException("index.interval.bytes must not be negative");
        }
        if (flushMessages < 1 || flushMs < 0) {
            throw new IllegalArgumentException("flush.messages must be at least 1 and flush.ms not negative");
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("max.message.bytes must not be negative");
        }
        if (timestampType != TimestampType.CREATE_TIME && timestampType != TimestampType.LOG_APPEND_TIME) {
            throw new IllegalArgumentException("message.timestamp.type must be CreateTime or LogAppendTime");
        }
        if (deleteRetentionMs < 0 || minCompactionLagMs < 0) {
            throw new IllegalArgumentException("delete.retention.ms and min.compaction.lag.ms must not be negative");
        }
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException("min.cleanable.dirty.ratio must be between 0 and 1, was "
                    + minCleanableDirtyRatio);
        }
    }

    public static Builder builder() {
        return new Builder(DEFAULT);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether every append is forced to disk before it is acknowledged. */
    public boolean fsyncEveryAppend() {
        return flushMessages == 1;
    }

    /** Changes some settings of a config and keeps the rest. */
    public static final class Builder {
        private int segmentBytes;
        private long segmentMs;
        private int segmentIndexBytes;
        private int indexIntervalBytes;
        private long retentionMs;
        private long retentionBytes;
        private long flushMessages;
        private long flushMs;
        private int maxMessageBytes;
        private TimestampType timestampType;
        private long fileDeleteDelayMs;
        private boolean delete;
        private boolean compact;
        private long deleteRetentionMs;
        private long minCompactionLagMs;
        private double minCleanableDirtyRatio;

        private Builder(LogConfig from) {
            segmentBytes = from.segmentBytes;
            segmentMs = from.segmentMs;
            segmentIndexBytes = from.segmentIndexBytes;
            indexIntervalBytes = from.indexIntervalBytes;
            retentionMs = from.retentionMs;
            retentionBytes = from.retentionBytes;
            flushMessages = from.flushMessages;
            flushMs = from.flushMs;
            maxMessageBytes = from.maxMessageBytes;
            timestampType = from.timestampType;
            fileDeleteDelayMs = from.fileDeleteDelayMs;
            delete = from.delete;
            compact = from.compact;
            deleteRetentionMs = from.deleteRetentionMs;
            minCompactionLagMs = from.minCompactionLagMs;
            minCleanableDirtyRatio = from.minCleanableDirtyRatio;
        }

        public Builder segmentBytes(int value) { segmentBytes = value; return this; }
        public Builder segmentMs(long value) { segmentMs = value; return this; }
        public Builder segmentIndexBytes(int value) { segmentIndexBytes = value; return this; }
        public Builder indexIntervalBytes(int value) { indexIntervalBytes = value; return this; }
        public Builder retentionMs(long value) { retentionMs = value; return this; }
        public Builder retentionBytes(long value) { retentionBytes = value; return this; }
        public Builder flushMessages(long value) { flushMessages = value; return this; }
        public Builder flushMs(long value) { flushMs = value; return this; }
        public Builder maxMessageBytes(int value) { maxMessageBytes = value; return this; }
        public Builder timestampType(TimestampType value) { timestampType = value; return this; }
        public Builder fileDeleteDelayMs(long value) { fileDeleteDelayMs = value; return this; }
        public Builder delete(boolean value) { delete = value; return this; }
        public Builder compact(boolean value) { compact = value; return this; }
        public Builder deleteRetentionMs(long value) { deleteRetentionMs = value; return this; }
        public Builder minCompactionLagMs(long value) { minCompactionLagMs = value; return this; }
        public Builder minCleanableDirtyRatio(double value) { minCleanableDirtyRatio = value; return this; }

        /** Sets {@code delete} and {@code compact} from Kafka's {@code cleanup.policy} list, such as "compact,delete". */
        public Builder cleanupPolicy(String policies) {
            boolean newDelete = false;
            boolean newCompact = false;
            for (String policy : policies.split(",")) {
                switch (policy.trim().toLowerCase(Locale.ROOT)) {
                    case "delete" -> newDelete = true;
                    case "compact" -> newCompact = true;
                    case "" -> { }
                    default -> throw new IllegalArgumentException("cleanup.policy must list delete and/or compact, was "
                            + policies);
                }
            }
            delete = newDelete;
            compact = newCompact;
            return this;
        }

        public LogConfig build() {
            return new LogConfig(segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionMs,
                    retentionBytes, flushMessages, flushMs, maxMessageBytes, timestampType, fileDeleteDelayMs,
                    delete, compact, deleteRetentionMs, minCompactionLagMs, minCleanableDirtyRatio);
        }
    }
}
