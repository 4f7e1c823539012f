package io.tributary.broker.log;

import static io.tributary.broker.log.LogTestSupport.batch;
import static io.tributary.broker.log.LogTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
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
        return path.toString().contains("doomed-") ? new FailingWritesChannel(real, diskFull::get, FailingWritesChannel.ENOSPC)
                : real;
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
}
