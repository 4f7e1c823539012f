package io.tributary.broker.log;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When a partition's log goes to disk, and how far it went: flushes after {@code flush.messages}
 * records, after {@code flush.ms}, of a segment just rolled (in the background, Kafka's policy), and
 * on demand; the recovery point they move (every offset below it is on disk, so recovery scans only
 * from there); and the {@code partition.checkpoint} that keeps it, with the log start offset and the
 * high watermark, across a restart.
 *
 * <p>Threading: a flush forces the segments to disk without the append lock, so appends go on
 * meanwhile, and takes the lock only to move the recovery point. The callbacks about appends and
 * truncations run under the append lock, which their caller holds.
 */
final class LogFlusher {

    private final LocalLog local;
    private final ReentrantLock appendLock;
    private final OfflineState offline;
    private final LogBackgroundTasks background;
    private final Clock clock;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    /** Records appended since the recovery point was last at the log end (guarded by the append lock). */
    private long unflushedMessages;
    private volatile FlushListener flushListener = FlushListener.NONE;
    private PartitionCheckpoint lastCheckpoint;

    LogFlusher(LocalLog local, ReentrantLock appendLock, OfflineState offline, LogBackgroundTasks background,
            Clock clock, long recoveryPoint) {
        this.local = local;
        this.appendLock = appendLock;
        this.offline = offline;
        this.background = background;
        this.clock = clock;
        this.recoveryPoint = recoveryPoint;
        this.lastFlushMs = clock.millis();
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    void flushListener(FlushListener listener) {
        this.flushListener = listener == null ? FlushListener.NONE : listener;
    }

    /** Counts appended records, flushing up to {@code nextOffset} once {@code flushMessages} are unflushed. */
    void appended(int recordCount, long nextOffset, long flushMessages) {
        unflushedMessages += recordCount;
        if (unflushedMessages >= flushMessages) {
            flushUpTo(nextOffset);
        }
    }

    /** Flushes a segment just rolled, up to {@code baseOffset} where the new one starts, in the background. */
    void flushRolledLater(long baseOffset) {
        background.execute(() -> {
            try {
                flushUpTo(baseOffset);
            } catch (LogOfflineException e) {
                // already reported by goOffline
            }
        });
    }

    /** Keeps the recovery point within a log truncated to end before {@code nextOffset}. */
    void truncatedTo(long nextOffset) {
        recoveryPoint = Math.min(recoveryPoint, nextOffset);
    }

    /** Moves the recovery point to the start of a log emptied and started again at {@code offset}. */
    void restartedAt(long offset) {
        recoveryPoint = offset;
    }

    /** Forces everything appended so far to disk and moves the recovery point to the log end. */
    void flush() {
        flushUpTo(local.logEndOffset());
    }

    /** Flushes when {@code flush.ms} has passed since the last flush and there is something to flush. */
    void maybeFlushByTime() {
        if (!offline.isOffline() && local.logEndOffset() > recoveryPoint
                && clock.millis() - lastFlushMs >= local.config().flushMs()) {
            flush();
        }
    }

    private void flushUpTo(long offset) {
        long from = recoveryPoint;
        if (offset <= from) {
            return;
        }
        long started = System.nanoTime();
        try {
            local.segments().flush(from, offset);
            flushListener.onFlush(System.nanoTime() - started);
        } catch (ClosedChannelException e) {
            return; // the segment went away: truncated, deleted or closed; nothing left to flush
        } catch (IOException e) {
            throw offline.goOffline("flush up to offset " + offset, e);
        }
        appendLock.lock();
        try {
            if (offset > recoveryPoint) {
                recoveryPoint = Math.min(offset, local.logEndOffset());
            }
            if (recoveryPoint >= local.logEndOffset()) {
                unflushedMessages = 0;
            }
            lastFlushMs = clock.millis();
        } finally {
            appendLock.unlock();
        }
    }

    /** Writes the partition checkpoint when one of its offsets changed since the last write. */
    void checkpoint(long logStartOffset, long highWatermark) {
        PartitionCheckpoint current = new PartitionCheckpoint(logStartOffset, highWatermark, recoveryPoint);
        if (current.equals(lastCheckpoint) || offline.isOffline()) {
            return;
        }
        try {
            current.write(local.dir());
            lastCheckpoint = current;
        } catch (IOException e) {
            throw offline.goOffline("write the partition checkpoint", e);
        }
    }
}
