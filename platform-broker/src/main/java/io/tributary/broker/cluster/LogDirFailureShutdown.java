package io.tributary.broker.cluster;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import io.tributary.broker.log.LogDirFailureListener;
import io.tributary.broker.log.LogOfflineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the broker when its data directory fails, as Kafka stops a broker whose last online log
 * directory failed ("Shutdown broker because all log dirs in … have failed"): a broker that keeps
 * leading partitions it can no longer write leaves them unavailable until someone restarts it, while
 * a stopped one is fenced and its leaderships move to in-sync replicas. Unlike Kafka, which halts at
 * once and leaves its leaderships until its session times out, it first hands them over through the
 * quorum (its controlled shutdown, bounded by {@code tributary.cluster.controlled-shutdown-timeout}),
 * then halts the JVM with {@link #EXIT_STATUS}. Halting, not exiting: the shutdown hooks would flush
 * and checkpoint logs on the failed disk. After an operator frees space (or replaces the disk) and
 * starts it again, the broker recovers its logs as after a crash and catches up from the leaders.
 *
 * <p>Acts once, however many partitions fail after the first; the work runs on a thread of its own,
 * so the failing request is answered (KAFKA_STORAGE_ERROR) and no partition lock is held meanwhile.
 */
public final class LogDirFailureShutdown implements LogDirFailureListener {

    /** {@code EX_IOERR} of sysexits.h: "an error occurred while doing I/O on some file". */
    public static final int EXIT_STATUS = 74;

    private static final Logger log = LoggerFactory.getLogger(LogDirFailureShutdown.class);

    private final int nodeId;
    private final Runnable handOver;
    private final IntConsumer exit;
    private final Executor executor;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /**
     * @param handOver moves this broker's leaderships away before it stops (its controlled shutdown; a no-op alone)
     * @param exit     ends the process with a status ({@code Runtime.getRuntime()::halt})
     * @param executor runs the hand-over and the exit off the failing thread
     */
    public LogDirFailureShutdown(int nodeId, Runnable handOver, IntConsumer exit, Executor executor) {
        this.nodeId = nodeId;
        this.handOver = handOver;
        this.exit = exit;
        this.executor = executor;
    }

    /** On a thread of its own, not a daemon: the JVM must not end before the hand-over is done. */
    public static Executor ownThread() {
        return task -> {
            Thread thread = new Thread(task, "tributary-log-dir-failure");
            thread.setDaemon(false);
            thread.start();
        };
    }

    @Override
    public void onLogDirFailure(Path dataDir, LogOfflineException failure) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.error("Shutting down broker {} because its data directory {} failed: {}", nodeId, dataDir,
                failure.getMessage());
        executor.execute(() -> stop(dataDir));
    }

    private void stop(Path dataDir) {
        try {
            handOver.run();
        } catch (RuntimeException e) {
            log.warn("Broker {} could not hand over its leaderships before stopping: {}", nodeId, e.toString());
        } finally {
            log.error("Broker {} stops with exit status {}: its data directory {} failed. Free space on it (or replace "
                    + "the disk) and start the broker again: it recovers its logs and catches up.", nodeId, EXIT_STATUS,
                    dataDir);
            exit.accept(EXIT_STATUS);
        }
    }
}
