package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition's directory as Kafka's {@code LogLoader} does: finishes or undoes what a crash
 * interrupted (a cleaned segment's swap, deletions, temporary files), drops index files without a
 * segment, scans every segment past the recovery point and cuts the log after its last valid batch,
 * rebuilds missing or inconsistent indexes, and derives the offsets the log starts from.
 */
final class LogLoader {

    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    /** What loading found: the segments and the log's offsets, each within the recovered log. */
    record LoadedLog(LogSegments segments, long logEndOffset, long logStartOffset, long recoveryPoint,
            long highWatermark, long firstDirtyOffset) {
    }

    private final Path dir;
    private final TopicPartition topicPartition;
    private final LogConfig config;
    private final FileChannelFactory channels;
    private final Clock clock;
    private final LogSegments segments = new LogSegments();

    private LogLoader(Path dir, TopicPartition topicPartition, LogConfig config, FileChannelFactory channels, Clock clock) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.channels = channels;
        this.clock = clock;
    }

    /**
     * Loads the log in {@code dir}, creating its first segment when there is none, and trims
     * {@code epochCache} to the recovered log. On failure every file it opened is closed again.
     */
    static LoadedLog load(Path dir, TopicPartition topicPartition, LogConfig config, FileChannelFactory channels,
            Clock clock, LeaderEpochCache epochCache) throws IOException {
        LogLoader loader = new LogLoader(dir, topicPartition, config, channels, clock);
        try {
            return loader.load(epochCache);
        } catch (IOException | RuntimeException e) {
            closeQuietly(topicPartition, loader.segments);
            throw e;
        }
    }

    static void closeQuietly(TopicPartition topicPartition, LogSegments segments) {
        for (LogSegment segment : segments.all()) {
            try {
                segment.close();
            } catch (IOException e) {
                log.warn("{}: closing {} failed: {}", topicPartition, segment, e.toString());
            }
        }
    }

    private LoadedLog load(LeaderEpochCache epochCache) throws IOException {
        CleanedSegmentRecovery.recover(dir);
        List<Long> baseOffsets = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(".tmp")) {
                    Files.deleteIfExists(file); // a deletion or checkpoint interrupted by a crash
                } else if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    baseOffsets.add(Long.parseLong(name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length())));
                }
            }
        }
        baseOffsets.sort(null);
        deleteOrphanIndexes(baseOffsets);
        PartitionCheckpoint checkpoint = PartitionCheckpoint.read(dir).orElse(new PartitionCheckpoint(0, 0, 0));
        Set<Long> missingIndexes = new HashSet<>();
        for (int i = 0; i < baseOffsets.size(); i++) {
            long baseOffset = baseOffsets.get(i);
            if (!Files.exists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.INDEX_SUFFIX)))
                    || !Files.exists(dir.resolve(LogSegment.fileName(baseOffset, LogSegment.TIME_INDEX_SUFFIX)))) {
                missingIndexes.add(baseOffset);
            }
            segments.add(LogSegment.open(dir, baseOffset, config, channels, i == baseOffsets.size() - 1));
        }
        Set<LogSegment> recovered = new HashSet<>();
        long nextOffset = recoverUnflushedSegments(checkpoint.recoveryPoint(), missingIndexes, recovered);
        recovered.retainAll(segments.all());
        TransactionIndexRecovery.rebuild(segments.all(), recovered);
        if (segments.isEmpty()) {
            long start = Math.max(checkpoint.logStartOffset(), 0);
            segments.add(LogSegment.create(dir, start, config, channels, clock.millis()));
            nextOffset = start;
        }
        segments.last().onBecomeActive();
        long logStartOffset = Math.min(Math.max(checkpoint.logStartOffset(), segments.firstBaseOffset()), nextOffset);
        long recoveryPoint = Math.min(checkpoint.recoveryPoint(), nextOffset);
        long highWatermark = Math.min(Math.max(checkpoint.highWatermark(), logStartOffset), nextOffset);
        epochCache.truncateFromEnd(nextOffset);
        epochCache.truncateFromStart(logStartOffset);
        long firstDirtyOffset = CleanerCheckpoint.read(dir).map(CleanerCheckpoint::firstDirtyOffset).orElse(logStartOffset);
        return new LoadedLog(segments, nextOffset, logStartOffset, recoveryPoint, highWatermark, firstDirtyOffset);
    }

    private void deleteOrphanIndexes(List<Long> baseOffsets) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String base = name.endsWith(LogSegment.INDEX_SUFFIX) ? name.substring(0, name.length() - LogSegment.INDEX_SUFFIX.length())
                        : name.endsWith(LogSegment.TIME_INDEX_SUFFIX) ? name.substring(0, name.length() - LogSegment.TIME_INDEX_SUFFIX.length())
                        : name.endsWith(TransactionIndex.SUFFIX) ? name.substring(0, name.length() - TransactionIndex.SUFFIX.length())
                        : null;
                if (base != null && !baseOffsets.contains(Long.parseLong(base))) {
                    log.warn("{}: deleting index file {} whose segment is missing", topicPartition, name);
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * Scans every segment that may hold unflushed data, cutting the log after the last valid batch
     * (which rebuilds their indexes too); checks the indexes of the segments before, rebuilding
     * those that are missing or inconsistent. Returns the log end offset.
     */
    private long recoverUnflushedSegments(long recoveryPointOffset, Set<Long> missingIndexes,
            Set<LogSegment> recovered) throws IOException {
        if (segments.isEmpty()) {
            return 0;
        }
        LogSegment holdingRecoveryPoint = segments.floor(recoveryPointOffset);
        long firstUnflushed = holdingRecoveryPoint == null ? segments.firstBaseOffset() : holdingRecoveryPoint.baseOffset();
        List<LogSegment> flushed = new ArrayList<>(segments.startingBefore(firstUnflushed));
        for (LogSegment segment : flushed) {
            if (missingIndexes.contains(segment.baseOffset())) {
                log.warn("{}: index files of segment {} are missing; rebuilding them", topicPartition,
                        segment.baseOffset());
                rebuildIndexesOfClosedSegment(segment);
                recovered.add(segment);
                continue;
            }
            try {
                segment.sanityCheckIndexes();
            } catch (IllegalStateException e) {
                log.warn("{}: {}; rebuilding the indexes of segment {}", topicPartition, e.getMessage(),
                        segment.baseOffset());
                rebuildIndexesOfClosedSegment(segment);
                recovered.add(segment);
            }
        }
        long nextOffset = firstUnflushed;
        if (!flushed.isEmpty()) {
            nextOffset = Math.max(nextOffset, flushed.get(flushed.size() - 1).readLastOffset() + 1);
        }
        List<LogSegment> toRecover = new ArrayList<>(segments.startingAtOrAfter(firstUnflushed));
        for (int i = 0; i < toRecover.size(); i++) {
            LogSegment segment = toRecover.get(i);
            LogSegment.RecoveryResult result = segment.recover(nextOffset);
            recovered.add(segment);
            if (segment != segments.last()) {
                segment.onBecomeInactive();
            }
            if (result.lastOffset() >= segment.baseOffset()) {
                nextOffset = result.lastOffset() + 1;
            } else {
                nextOffset = Math.max(nextOffset, segment.baseOffset());
            }
            if (result.truncatedBytes() > 0) {
                log.warn("{}: recovery truncated segment {} at byte {}, discarding {} bytes: {}", topicPartition,
                        segment.logFile().getFileName(), result.validBytes(), result.truncatedBytes(), result.reason());
                for (LogSegment later : toRecover.subList(i + 1, toRecover.size())) {
                    log.warn("{}: recovery deleted segment {} ({} bytes) after the truncation", topicPartition,
                            later.logFile().getFileName(), later.size());
                    segments.remove(later);
                    later.deleteFiles();
                }
                break;
            }
        }
        return nextOffset;
    }

    /** Rebuilds the indexes of a flushed segment that takes no appends, by a scan of its batches. */
    private void rebuildIndexesOfClosedSegment(LogSegment segment) throws IOException {
        LogSegment.RecoveryResult result = segment.recover(segment.baseOffset());
        if (result.truncatedBytes() > 0) {
            log.warn("{}: segment {} was damaged although flushed: truncated at byte {}, discarding {} bytes: {}",
                    topicPartition, segment.logFile().getFileName(), result.validBytes(), result.truncatedBytes(),
                    result.reason());
        }
        segment.onBecomeInactive();
    }
}
