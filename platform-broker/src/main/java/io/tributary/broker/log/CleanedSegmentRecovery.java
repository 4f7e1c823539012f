package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes, when a partition log opens, whatever a crash left of the cleaner's work. A cleaned
 * segment is written under {@code .cleaned} names, flushed, renamed to {@code .swap} under the
 * append lock, and then takes the place of the segments it was cleaned from (see
 * {@link CleanerView#replaceSegments}). So at start:
 * <ul>
 *   <li>{@code .cleaned} files are an unfinished cleaning: deleted, the segments they came from are intact;
 *   <li>a {@code .log.swap} file is a complete cleaned segment whose swap was under way: the segments
 *       it replaces, those whose base offset lies within its offsets, are deleted, and the swap
 *       files take their final names. (A cleaned segment keeps the last batch of the segments it
 *       replaces, emptied if need be, so its offsets reach theirs.) The old segments may still be
 *       there or already renamed {@code .deleted}; either way the swap completes.
 * </ul>
 * Runs before the segments are opened; not thread-safe.
 */
final class CleanedSegmentRecovery {

    private static final Logger log = LoggerFactory.getLogger(CleanedSegmentRecovery.class);
    private static final String LOG_SWAP_SUFFIX = LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX;

    private CleanedSegmentRecovery() {
    }

    static void recover(Path dir) throws IOException {
        List<Long> swaps = new ArrayList<>();
        boolean changed = false;
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogSegment.CLEANED_SUFFIX)) {
                log.info("{}: deleting {} left by an interrupted cleaning", dir.getFileName(), name);
                Files.deleteIfExists(file);
                changed = true;
            } else if (name.endsWith(LOG_SWAP_SUFFIX)) {
                swaps.add(Long.parseLong(name.substring(0, name.length() - LOG_SWAP_SUFFIX.length())));
            }
        }
        swaps.sort(null);
        for (long baseOffset : swaps) {
            completeSwap(dir, baseOffset);
            changed = true;
        }
        for (Path file : list(dir)) {
            if (file.getFileName().toString().endsWith(LogSegment.SWAP_SUFFIX)) {
                // An index whose log already took its final name: the log's indexes are rebuilt when missing.
                Files.deleteIfExists(file);
                changed = true;
            }
        }
        if (changed) {
            AtomicFiles.fsyncDirectory(dir);
        }
    }

    private static void completeSwap(Path dir, long baseOffset) throws IOException {
        Path swapLog = dir.resolve(LogSegment.fileName(baseOffset, LOG_SWAP_SUFFIX));
        long lastOffset = Math.max(baseOffset, lastOffsetIn(swapLog));
        for (Path file : list(dir)) {
            String name = file.getFileName().toString();
            if (!name.endsWith(LogSegment.LOG_SUFFIX)) {
                continue;
            }
            long segmentBase = Long.parseLong(name.substring(0, name.length() - LogSegment.LOG_SUFFIX.length()));
            if (segmentBase >= baseOffset && segmentBase <= lastOffset) {
                log.info("{}: deleting segment {} replaced by the cleaned segment of an interrupted swap",
                        dir.getFileName(), name);
                Files.delete(file);
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(segmentBase, LogSegment.INDEX_SUFFIX)));
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(segmentBase, LogSegment.TIME_INDEX_SUFFIX)));
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(segmentBase, TransactionIndex.SUFFIX)));
            }
        }
        for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, TransactionIndex.SUFFIX,
                LogSegment.LOG_SUFFIX)) {
            Path swap = dir.resolve(LogSegment.fileName(baseOffset, suffix) + LogSegment.SWAP_SUFFIX);
            if (Files.exists(swap)) {
                Files.move(swap, dir.resolve(LogSegment.fileName(baseOffset, suffix)),
                        StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        log.info("{}: completed the swap of cleaned segment {} (offsets up to {})", dir.getFileName(), baseOffset,
                lastOffset);
    }

    /** The last offset of the file's last whole batch, or -1 when it holds none. */
    private static long lastOffsetIn(Path file) throws IOException {
        long last = -1;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
            long position = 0;
            while (position + BatchHeader.SIZE <= size) {
                header.clear();
                while (header.hasRemaining()) {
                    if (channel.read(header, position + header.position()) < 0) {
                        return last;
                    }
                }
                BatchHeader batch = BatchHeader.read(header, 0);
                if (batch.sizeInBytes() < BatchHeader.SIZE || position + batch.sizeInBytes() > size) {
                    break;
                }
                last = batch.lastOffset();
                position += batch.sizeInBytes();
            }
        }
        return last;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
