package io.tributary.broker.log;

import java.io.IOException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a partition's log still works: the first storage failure takes it offline until the broker
 * restarts, as Kafka's {@code LogDirFailureChannel} does for a log directory. Every part of the log
 * reports its {@link IOException}s here and checks here before it writes.
 *
 * <p>Threading: any thread, without a lock.
 */
final class OfflineState {

    private static final Logger log = LoggerFactory.getLogger(OfflineState.class);

    private final TopicPartition topicPartition;
    private volatile LogOfflineException offline;

    OfflineState(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    boolean isOffline() {
        return offline != null;
    }

    /** @throws LogOfflineException when the log went offline, with the first failure's message and cause */
    void ensureOnline() {
        LogOfflineException failure = offline;
        if (failure != null) {
            throw new LogOfflineException(failure.getMessage(), failure.getCause());
        }
    }

    /** Takes the log offline, unless it already is, and returns the exception for the caller to throw. */
    LogOfflineException goOffline(String action, IOException cause) {
        LogOfflineException failure = new LogOfflineException(
                "Partition " + topicPartition + " is offline: could not " + action + ": " + cause, cause);
        if (offline == null) {
            offline = failure;
            log.error("{}: storage failed, taking the partition offline until restart", topicPartition, cause);
        }
        return failure;
    }
}
