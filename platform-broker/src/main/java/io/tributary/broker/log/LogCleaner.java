package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts, in the background, the partition logs whose {@code cleanup.policy} holds compact: every
 * {@code log.cleaner.backoff.ms} it cleans each log whose dirty ratio (the dirty share of its
 * cleanable bytes, see {@link LogToClean}) has reached the log's {@code min.cleanable.dirty.ratio},
 * dirtiest first. The cleaning itself is {@link Cleaner}'s.
 *
 * <p>Cleaning never blocks appends: it reads closed segments without locks and takes a log's
 * append lock only to swap a cleaned segment in. It gives up, changing nothing, when the log changed
 * under it, and starts over at its next run.
 *
 * <p>Threading: one cleaning at a time, on the cleaner's own thread once {@link #startup} ran, or
 * on the caller's for {@link #clean}; {@link #abort} and {@link #close} may come from any thread.
 */
public final class LogCleaner implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(LogCleaner.class);

    /** {@code log.cleaner.dedupe.buffer.size}: about 350,000 keys per cleaning. */
    public static final int DEFAULT_DEDUPE_BUFFER_BYTES = 8 * 1024 * 1024;
    /** The read and the write buffer, each; they grow for a larger batch. */
    public static final int DEFAULT_IO_BUFFER_BYTES = 512 * 1024;

    private final Clock clock;
    private final int dedupeBufferBytes;
    private final int ioBufferBytes;
    /** Created by the first cleaning, so that a broker without compacted topics spends no memory on it. */
    private Cleaner cleaner;
    /** Held for the whole of a cleaning: one at a time, and {@link #abort} waits on it. */
    private final ReentrantLock cleaning = new ReentrantLock();
    private final Set<PartitionLog> aborting = ConcurrentHashMap.newKeySet();
    /** Logs whose cleaning failed other than by a concurrent change: skipped until restart, as Kafka does. */
    private final Set<TopicPartition> uncleanable = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private ScheduledExecutorService thread;

    public LogCleaner(Clock clock) {
        this(clock, DEFAULT_DEDUPE_BUFFER_BYTES, DEFAULT_IO_BUFFER_BYTES);
    }

    public LogCleaner(Clock clock, int dedupeBufferBytes, int ioBufferBytes) {
        this.clock = clock;
        this.dedupeBufferBytes = dedupeBufferBytes;
        this.ioBufferBytes = ioBufferBytes;
        if (dedupeBufferBytes < OffsetMap.MIN_MEMORY_BYTES) {
            throw new IllegalArgumentException("The cleaner's dedupe buffer of " + dedupeBufferBytes
                    + " bytes cannot hold a key; it needs at least " + OffsetMap.MIN_MEMORY_BYTES);
        }
    }

    /** Starts the cleaner thread, which cleans the dirty logs among {@code logs} every {@code backoffMs}. */
    public synchronized void startup(long backoffMs, Supplier<Collection<PartitionLog>> logs) {
        if (thread != null || closed) {
            throw new IllegalStateException("The log cleaner was already started or closed");
        }
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread cleanerThread = new Thread(runnable, "tributary-log-cleaner");
            cleanerThread.setDaemon(true);
            return cleanerThread;
        });
        thread.scheduleWithFixedDelay(() -> {
            try {
                cleanDirtyLogs(logs.get());
            } catch (RuntimeException e) {
                log.error("The log cleaner's run failed", e);
            }
        }, backoffMs, backoffMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Cleans, dirtiest first, every compacted log among {@code logs} that is dirty enough.
     *
     * @return the number of logs cleaned
     */
    public int cleanDirtyLogs(Collection<PartitionLog> logs) {
        long now = clock.millis();
        List<LogToClean> dirty = new ArrayList<>();
        for (PartitionLog partitionLog : logs) {
            if (!isCleanable(partitionLog)) {
                continue;
            }
            try {
                LogToClean toClean = LogToClean.of(partitionLog, now);
                if (toClean.dirtyEnough()) {
                    dirty.add(toClean);
                }
            } catch (IOException e) {
                log.warn("{}: could not measure how dirty the log is: {}", partitionLog.topicPartition(), e.toString());
            }
        }
        dirty.sort(Comparator.comparingDouble(LogToClean::dirtyRatio).reversed());
        int cleaned = 0;
        for (LogToClean toClean : dirty) {
            if (closed) {
                break;
            }
            if (clean(toClean.log()).isPresent()) {
                cleaned++;
            }
        }
        return cleaned;
    }

    /**
     * Cleans a compacted log once, whatever its dirty ratio: its cleanable segments are rewritten
     * even when no record in them is dirty (which drops tombstones past their delete horizon).
     *
     * @return what the cleaning did; empty when the log is not compacted, had nothing to clean,
     *         changed under the cleaner, or the cleaning failed or was aborted
     */
    public Optional<CleaningResult> clean(PartitionLog partitionLog) {
        cleaning.lock();
        try {
            if (closed || !isCleanable(partitionLog) || aborting.contains(partitionLog)) {
                return Optional.empty();
            }
            if (cleaner == null) {
                cleaner = new Cleaner(new OffsetMap(dedupeBufferBytes), ioBufferBytes, clock);
            }
            LogToClean toClean = LogToClean.of(partitionLog, clock.millis());
            return cleaner.clean(toClean, () -> closed || aborting.contains(partitionLog));
        } catch (Cleaner.AbortedException e) {
            log.info("{}: cleaning aborted", partitionLog.topicPartition());
        } catch (ClosedChannelException | NoSuchFileException | OffsetOutOfRangeException e) {
            log.info("{}: a segment went away during the cleaning; it starts over later: {}",
                    partitionLog.topicPartition(), e.toString());
        } catch (IOException | RuntimeException e) {
            uncleanable.add(partitionLog.topicPartition());
            log.error("{}: cleaning failed; the log will not be cleaned again until restart",
                    partitionLog.topicPartition(), e);
        } finally {
            cleaning.unlock();
        }
        return Optional.empty();
    }

    private boolean isCleanable(PartitionLog partitionLog) {
        return partitionLog.config().compact() && !partitionLog.isOffline()
                && !uncleanable.contains(partitionLog.topicPartition());
    }

    /**
     * Stops a cleaning of {@code partitionLog} under way, deleting its files, and returns once no
     * cleaning of it runs; for a log about to be closed or deleted, which the caller has already
     * taken away from the cleaner's list.
     */
    public void abort(PartitionLog partitionLog) {
        aborting.add(partitionLog);
        cleaning.lock();
        try {
            uncleanable.remove(partitionLog.topicPartition());
        } finally {
            cleaning.unlock();
            aborting.remove(partitionLog);
        }
    }

    /** Stops the cleaner thread, aborting a cleaning under way, and waits for it. */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            // No interrupt: an interrupted read closes the FileChannel, which is the live segment's.
            running.shutdown();
            try {
                if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("The log cleaner thread did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        cleaning.lock();
        cleaning.unlock();
    }
}
