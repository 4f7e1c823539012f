package io.tributary.broker.log;

import java.io.IOException;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a partition's log still works: the first storage failure takes it offline until the broker
 * restarts, as Kafka's {@code LogDirFailureChannel} does for a log directory. Every part of the log
 * reports its {@link IOException}s here and checks here before it writes: the one place a partition
 * goes offline, which tells its {@link #listener} (the {@link LogManager}, which tells the broker that
 * its data directory failed).
 *
 * <p>Threading: any thread; going offline is decided under this object's monitor, once.
 */
final class OfflineState {

    private static final Logger log = LoggerFactory.getLogger(OfflineState.class);

    private final TopicPartition topicPartition;
    private volatile LogOfflineException offline;
    /** Told once, when the log goes offline; set by the {@link LogManager} that owns the log. */
    private volatile Consumer<LogOfflineException> listener = failure -> { };

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

    /** Tells {@code listener}, once, when the log goes offline (on the failing thread; it must not throw). */
    void listener(Consumer<LogOfflineException> listener) {
        this.listener = listener;
    }

    /**
     * Takes the log offline, unless it already is, and returns the exception for the caller to throw. The
     * first failure is kept (later calls fail with it), logged, and told to the {@link #listener}.
     */
    LogOfflineException goOffline(String action, IOException cause) {
        LogOfflineException failure = new LogOfflineException(
                "Partition " + topicPartition + " is offline: could not " + action + ": " + cause, cause);
        boolean first;
        synchronized (this) {
            first = offline == null;
            if (first) {
                offline = failure;
            }
        }
        if (first) {
            log.error("{}: storage failed, taking the partition offline until restart", topicPartition, cause);
            listener.accept(failure);
        }
        return failure;
    }
}
