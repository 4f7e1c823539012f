package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a data directory and every partition log in it: opens (and recovers) them at start, creates
 * and deletes them, and runs the background work of retention, time-based flushing and
 * checkpointing, and the {@link LogCleaner} that compacts logs on its own thread. One broker
 * process per data directory, enforced by a lock file.
 *
 * <p>The first storage failure of any of its logs (each {@link PartitionLog} goes offline on its own)
 * is the failure of the data directory, told once to the {@link LogDirFailureListener}.
 *
 * <p>Thread-safe.
 */
public final class LogManager implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(LogManager.class);
    private static final String LOCK_FILE = ".lock";
    private static final String DELETE_SUFFIX = "-delete";

    /**
     * How often the background tasks run.
     *
     * @param retentionCheckIntervalMs {@code log.retention.check.interval.ms}
     * @param flushCheckIntervalMs     how often {@code flush.ms} is checked
     * @param checkpointIntervalMs     {@code log.flush.offset.checkpoint.interval.ms}
     * @param cleanerBackoffMs         {@code log.cleaner.backoff.ms}: how often the cleaner looks for dirty logs
     */
    public record Schedule(long retentionCheckIntervalMs, long flushCheckIntervalMs, long checkpointIntervalMs,
            long cleanerBackoffMs) {
        public static final Schedule DEFAULT = new Schedule(300_000, 1_000, 60_000, 15_000);

        /** With Kafka's default cleaner backoff of 15 s. */
        public Schedule(long retentionCheckIntervalMs, long flushCheckIntervalMs, long checkpointIntervalMs) {
            this(retentionCheckIntervalMs, flushCheckIntervalMs, checkpointIntervalMs, DEFAULT.cleanerBackoffMs());
        }
    }

    private final Path dataDir;
    private final Function<String, LogConfig> topicConfigs;
    private final Clock clock;
    private final FileChannelFactory channels;
    private final Schedule schedule;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final LogCleaner cleaner;
    private FileChannel lockChannel;
    private FileLock lock;
    private volatile FlushListener flushListener = FlushListener.NONE;
    /** Guarded by {@code this}, with {@link #failure}. */
    private LogDirFailureListener failureListener = LogDirFailureListener.NONE;
    /** The data directory's first storage failure, or null. Guarded by {@code this}. */
    private LogOfflineException failure;

    /**
     * @param topicConfigs the log config of a topic, by name (the broker defaults plus the topic's overrides)
     */
    public LogManager(Path dataDir, Function<String, LogConfig> topicConfigs, Clock clock, FileChannelFactory channels,
            Schedule schedule) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.topicConfigs = topicConfigs;
        this.clock = clock;
        this.channels = channels;
        this.schedule = schedule;
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tributary-log-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        // Deferred segment deletions are dropped at shutdown; the next start removes their files.
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.cleaner = new LogCleaner(clock);
    }

    public LogManager(Path dataDir, LogConfig defaults) {
        this(dataDir, topic -> defaults, Clock.systemUTC(), FileChannelFactory.DEFAULT, Schedule.DEFAULT);
    }

    /** Locks the data directory, opens every partition log in it and starts the background tasks. */
    public void startup() throws IOException {
        Files.createDirectories(dataDir);
        lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("Data directory " + dataDir + " is in use by another broker");
        }
        long started = System.nanoTime();
        try (Stream<Path> children = Files.list(dataDir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".")) {
                    continue; // not ours: the broker's metadata and other hidden directories
                }
                if (name.endsWith(DELETE_SUFFIX)) {
                    deleteDirectory(child);
                    continue;
                }
                Optional<TopicPartition> topicPartition = parseDirectoryName(name);
                if (topicPartition.isEmpty()) {
                    log.warn("Ignoring directory {} in {}: not a partition log", name, dataDir);
                    continue;
                }
                TopicPartition tp = topicPartition.get();
                PartitionLog partitionLog = PartitionLog.open(child, tp, topicConfigs.apply(tp.topic()), clock, channels, scheduler);
                watch(partitionLog);
                logs.put(tp, partitionLog);
            }
        }
        log.info("Loaded {} partition logs from {} in {} ms", logs.size(), dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        scheduleForEachLog(schedule.retentionCheckIntervalMs(), "retention", PartitionLog::applyRetention);
        scheduleForEachLog(schedule.flushCheckIntervalMs(), "flush", PartitionLog::maybeFlushByTime);
        scheduleForEachLog(schedule.checkpointIntervalMs(), "checkpoint", PartitionLog::checkpoint);
        cleaner.startup(schedule.cleanerBackoffMs(), this::logs);
    }

    private void scheduleForEachLog(long intervalMs, String task, Consumer<PartitionLog> action) {
        scheduler.scheduleWithFixedDelay(() -> {
            for (PartitionLog partitionLog : logs.values()) {
                if (partitionLog.isOffline()) {
                    continue;
                }
                try {
                    action.accept(partitionLog);
                } catch (RuntimeException e) {
                    log.warn("{}: background {} failed: {}", partitionLog.topicPartition(), task, e.toString());
                }
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** Tells every log, those open and those opened later, whom to tell how long its flushes take. */
    public void flushListener(FlushListener listener) {
        this.flushListener = listener == null ? FlushListener.NONE : listener;
        for (PartitionLog partitionLog : logs.values()) {
            partitionLog.flushListener(this.flushListener);
        }
    }

    /**
     * Tells {@code listener} when the data directory fails (the first storage failure of any log); when
     * it failed already, at once.
     */
    public void logDirFailureListener(LogDirFailureListener listener) {
        LogDirFailureListener told = listener == null ? LogDirFailureListener.NONE : listener;
        LogOfflineException already;
        synchronized (this) {
            failureListener = told;
            already = failure;
        }
        if (already != null) {
            told.onLogDirFailure(dataDir, already);
        }
    }

    private void watch(PartitionLog partitionLog) {
        partitionLog.flushListener(flushListener);
        partitionLog.offlineListener(this::dataDirFailed);
    }

    private void dataDirFailed(LogOfflineException partitionFailure) {
        LogDirFailureListener listener;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = partitionFailure;
            listener = failureListener;
        }
        listener.onLogDirFailure(dataDir, partitionFailure);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Optional<PartitionLog> log(TopicPartition topicPartition) {
        return Optional.ofNullable(logs.get(topicPartition));
    }

    public Collection<PartitionLog> logs() {
        return List.copyOf(logs.values());
    }

    /** The cleaner that compacts the logs whose cleanup.policy holds compact. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** The partition's log, created empty with the topic's config when it does not exist yet. */
    public PartitionLog getOrCreateLog(TopicPartition topicPartition) {
        return logs.computeIfAbsent(topicPartition, tp -> {
            try {
                PartitionLog partitionLog = PartitionLog.open(dataDir.resolve(directoryName(tp)), tp,
                        topicConfigs.apply(tp.topic()), clock, channels, scheduler);
                watch(partitionLog);
                return partitionLog;
            } catch (IOException e) {
                LogOfflineException failure = new LogOfflineException("Could not create the log of " + tp + ": " + e, e);
                log.error("{}: storage failed while creating the log", tp, e);
                dataDirFailed(failure);
                throw failure;
            }
        });
    }

    /**
     * Removes a partition's log: it stops serving at once, its directory is renamed out of the way
     * and deleted in the background (or at the next start after a crash).
     */
    public void deleteLog(TopicPartition topicPartition) throws IOException {
        PartitionLog removed = logs.remove(topicPartition);
        if (removed == null) {
            return;
        }
        cleaner.abort(removed);
        removed.close();
        Path target = dataDir.resolve(directoryName(topicPartition) + "."
                + UUID.randomUUID().toString().replace("-", "") + DELETE_SUFFIX);
        Files.move(removed.dir(), target);
        AtomicFiles.fsyncDirectory(dataDir);
        scheduler.execute(() -> {
            try {
                deleteDirectory(target);
            } catch (IOException e) {
                log.warn("Could not delete {}: {}", target, e.toString());
            }
        });
    }

    static String directoryName(TopicPartition topicPartition) {
        return topicPartition.topic() + "-" + topicPartition.partition();
    }

    static Optional<TopicPartition> parseDirectoryName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return Optional.empty();
        }
        try {
            int partition = Integer.parseInt(name.substring(dash + 1));
            return partition < 0 ? Optional.empty() : Optional.of(new TopicPartition(name.substring(0, dash), partition));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException exc) throws IOException {
                Files.delete(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Stops the background tasks and closes every log cleanly, so that the next start needs no recovery. */
    @Override
    public void close() throws IOException {
        cleaner.close();
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (PartitionLog partitionLog : logs.values()) {
            try {
                partitionLog.close();
            } catch (IOException | RuntimeException e) {
                log.warn("{}: close failed: {}", partitionLog.topicPartition(), e.toString());
            }
        }
        logs.clear();
        if (lock != null) {
            lock.release();
            lockChannel.close();
        }
    }
}
