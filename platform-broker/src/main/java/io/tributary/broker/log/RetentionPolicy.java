package io.tributary.broker.log;

import java.io.IOException;
import java.util.List;

/**
 * Which of a log's deletable segments retention removes, as Kafka's {@code deleteRetentionMsBreachedSegments}
 * and {@code deleteRetentionSizeBreachedSegments} decide: the oldest ones whose newest record is older than
 * {@code retention.ms}, or as many as keep the log within {@code retention.bytes} — whichever removes more,
 * and only when {@code cleanup.policy} holds delete.
 */
final class RetentionPolicy {

    /** How many of the candidates, oldest first, retention removes, and why. */
    record Selection(int count, String reason) {
    }

    private RetentionPolicy() {
    }

    /**
     * @param closed   the closed segments below the high watermark, oldest first
     * @param logBytes the size of the whole log
     */
    static Selection select(List<LogSegment> closed, LogConfig config, long now, long logBytes) throws IOException {
        int byTime = 0;
        if (config.delete() && config.retentionMs() >= 0) {
            while (byTime < closed.size() && now - closed.get(byTime).largestTimestamp() > config.retentionMs()) {
                byTime++;
            }
        }
        int bySize = 0;
        if (config.delete() && config.retentionBytes() >= 0) {
            long excess = logBytes - config.retentionBytes();
            while (bySize < closed.size() && excess - closed.get(bySize).size() >= 0) {
                excess -= closed.get(bySize).size();
                bySize++;
            }
        }
        String reason = byTime >= bySize
                ? "their newest records are older than retention.ms (" + config.retentionMs() + ")"
                : "the log is larger than retention.bytes (" + config.retentionBytes() + ")";
        return new Selection(Math.max(byTime, bySize), reason);
    }
}
