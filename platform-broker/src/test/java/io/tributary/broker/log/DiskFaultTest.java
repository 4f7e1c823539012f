package io.tributary.broker.log;

import static io.tributary.broker.log.LogTestSupport.batch;
import static io.tributary.broker.log.LogTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk or an I/O error under one partition: that append fails whole, that partition goes offline, others go on. */
class DiskFaultTest {

    @TempDir
    Path dir;

    /** Set to make every write to the files of topic "doomed" fail as a full disk does, after part of the bytes. */
    private final AtomicBoolean diskFull = new AtomicBoolean();

    private final FileChannelFactory faultyDisk = (path, options) -> {
        FileChannel real = FileChannel.open(path, options);
        return path.toString().contains("doomed-") ? new FullDiskChannel(real, diskFull) : real;
    };

    @Test
    void aFullDiskFailsTheAppendWithoutAPartialBatchAndTakesOnlyThatPartitionOffline() throws IOException {
        LogManager manager = new LogManager(dir, topic -> LogConfig.DEFAULT, java.time.Clock.systemUTC(), faultyDisk,
                LogManager.Schedule.DEFAULT);
        manager.startup();
        PartitionLog doomed = manager.getOrCreateLog(new TopicPartition("doomed", 0));
        PartitionLog healthy = manager.getOrCreateLog(new TopicPartition("healthy", 0));
        doomed.append(batch("before", 3), 0);
        healthy.append(batch("h", 1), 0);
        Path segmentFile = doomed.dir().resolve("00000000000000000000.log");
        long sizeBefore = Files.size(segmentFile);

        diskFull.set(true);
        assertThatThrownBy(() -> doomed.append(batch("lost", 5), 0)).isInstanceOf(LogOfflineException.class)
                .hasMessageContaining("No space left on device");

        assertThat(Files.size(segmentFile)).isEqualTo(sizeBefore);
        assertThat(doomed.isOffline()).isTrue();
        assertThat(doomed.logEndOffset()).isEqualTo(3);
        assertThatThrownBy(() -> doomed.append(batch("more", 1), 0)).isInstanceOf(LogOfflineException.class);
        assertThatThrownBy(() -> doomed.read(0, 1000, Long.MAX_VALUE, true)).isInstanceOf(LogOfflineException.class);

        healthy.append(batch("h2", 2), 0);
        assertThat(readAll(healthy, 0)).containsExactly("h-0", "h2-0", "h2-1");
        manager.close();

        // After the disk has room again, a restart brings the partition back with what was acknowledged.
        diskFull.set(false);
        LogManager restarted = new LogManager(dir, topic -> LogConfig.DEFAULT, java.time.Clock.systemUTC(), faultyDisk,
                LogManager.Schedule.DEFAULT);
        restarted.startup();
        PartitionLog recovered = restarted.log(new TopicPartition("doomed", 0)).orElseThrow();
        assertThat(readAll(recovered, 0)).containsExactly("before-0", "before-1", "before-2");
        assertThat(recovered.append(batch("after", 1), 0).firstOffset()).isEqualTo(3);
        restarted.close();
    }

    @Test
    void theFirstStorageFailureOfAnyPartitionIsTheDataDirectorysFailureToldOnce() throws IOException {
        List<String> told = new CopyOnWriteArrayList<>();
        try (LogManager manager = new LogManager(dir, topic -> LogConfig.DEFAULT, java.time.Clock.systemUTC(), faultyDisk,
                LogManager.Schedule.DEFAULT)) {
            manager.startup();
            manager.logDirFailureListener((dataDir, failure) -> told.add(dataDir + " " + failure.getMessage()));
            PartitionLog first = manager.getOrCreateLog(new TopicPartition("doomed", 0));
            PartitionLog second = manager.getOrCreateLog(new TopicPartition("doomed", 1));
            first.append(batch("before", 1), 0);
            assertThat(told).isEmpty();

            diskFull.set(true);
            assertThatThrownBy(() -> first.append(batch("lost", 1), 0)).isInstanceOf(LogOfflineException.class);
            assertThatThrownBy(() -> first.append(batch("lost", 1), 0)).isInstanceOf(LogOfflineException.class);
            assertThatThrownBy(() -> second.append(batch("lost", 1), 0)).isInstanceOf(LogOfflineException.class);

            assertThat(told).singleElement().asString().startsWith(manager.dataDir().toString())
                    .contains("doomed-0", "append at offset 1", "No space left on device");
            assertThat(second.isOffline()).isTrue();

            // A listener set after the failure (later in the broker's start, say) is told at once.
            List<String> late = new CopyOnWriteArrayList<>();
            manager.logDirFailureListener((dataDir, failure) -> late.add(failure.getMessage()));
            assertThat(late).singleElement().asString().contains("doomed-0");
        }
    }

    /** Writes part of the bytes, then fails with ENOSPC's message, as a write(2) to a full file system does. */
    private static final class FullDiskChannel extends FileChannel {
        private final FileChannel delegate;
        private final AtomicBoolean full;

        FullDiskChannel(FileChannel delegate, AtomicBoolean full) {
            this.delegate = delegate;
            this.full = full;
        }

        private int failAfterPartialWrite(ByteBuffer src, long position) throws IOException {
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + Math.min(7, part.remaining()));
            delegate.write(part, position);
            throw new IOException("No space left on device");
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return full.get() ? failAfterPartialWrite(src, position) : delegate.write(src, position);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return full.get() ? failAfterPartialWrite(src, delegate.position()) : delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            if (full.get()) {
                throw new IOException("No space left on device");
            }
            return delegate.write(srcs, offset, length);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
