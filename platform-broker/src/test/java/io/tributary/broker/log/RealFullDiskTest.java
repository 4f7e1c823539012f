package io.tributary.broker.log;

import static io.tributary.broker.log.LogTestSupport.batch;
import static io.tributary.broker.log.LogTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.tributary.broker.SmallFilesystem;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory on a small file system that fills up for real (ENOSPC from the kernel, not the
 * {@link FileChannelFactory} seam): the partition goes offline, the data directory's failure is told,
 * and after the space is freed a restart recovers every record written before. Needs root to mount a
 * tmpfs; skipped otherwise.
 */
class RealFullDiskTest {

    private static final TopicPartition TP = new TopicPartition("t", 0);
    /** An index entry for every batch after the first, so that the indexes grow page by page as the log does. */
    private static final LogConfig EVERY_BATCH_INDEXED = LogConfig.DEFAULT.toBuilder().indexIntervalBytes(0).build();

    @TempDir
    Path dir;

    private SmallFilesystem disk;

    @BeforeEach
    void mount() throws IOException {
        String unavailable = SmallFilesystem.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "Skipped: " + unavailable);
        disk = SmallFilesystem.mount(dir.resolve("data"), 4 << 20);
    }

    @AfterEach
    void unmount() {
        if (disk != null) {
            disk.close();
        }
    }

    private LogManager manager() throws IOException {
        LogManager manager = new LogManager(disk.mountPoint(), topic -> EVERY_BATCH_INDEXED, Clock.systemUTC(),
                FileChannelFactory.DEFAULT, LogManager.Schedule.DEFAULT);
        manager.startup();
        return manager;
    }

    @Test
    void aFullDiskTakesThePartitionOfflineAndARestartAfterFreeingSpaceRecoversWhatWasWritten() throws IOException {
        writeUntilFullAndRecover(log -> { });
    }

    /**
     * The offset index's entry of the 514th batch is the first in the index file's second page, which a full
     * tmpfs cannot give it: the write to the mapped file faults (SIGBUS, an InternalError in Java) while the
     * batch itself still fits in the log file's last page. The partition must go offline all the same.
     */
    @Test
    @Disabled("Quarantined: the JVM may raise the SIGBUS as an InternalError at a later access in the same thread "
            + "(in CI, inside the test's own MemoryRecords.withRecords), so the outcome is not deterministic; "
            + "docs/fault-injection.md")
    void aFullDiskUnderTheFirstWriteToANewPageOfAMappedIndexTakesThePartitionOffline() throws IOException {
        writeUntilFullAndRecover(log -> {
            for (int i = 0; i < 512; i++) {
                append(log, "b" + i);
            }
            // The 513th batch ends just past a page boundary of the log file: the next one fits in that page.
            long size = Files.size(log.dir().resolve(LogSegment.fileName(0, ".log")));
            String padding = "p";
            while ((size + batch(padding, 1).sizeInBytes()) % 4096 == 0 || (size + batch(padding, 1).sizeInBytes()) % 4096 > 200) {
                padding += "p";
            }
            append(log, padding);
        });
    }

    private final List<String> written = new ArrayList<>();

    private void append(PartitionLog log, String prefix) {
        log.append(batch(prefix, 1), 0);
        written.add(prefix + "-0");
    }

    private interface Before {
        void write(PartitionLog log) throws IOException;
    }

    private void writeUntilFullAndRecover(Before beforeTheDiskFills) throws IOException {
        List<String> told = new CopyOnWriteArrayList<>();
        try (LogManager manager = manager()) {
            manager.logDirFailureListener((dataDir, failure) -> told.add(failure.getMessage()));
            PartitionLog log = manager.getOrCreateLog(TP);
            beforeTheDiskFills.write(log);
            disk.fill();
            LogOfflineException failure = null;
            for (int i = 0; i < 100_000 && failure == null; i++) {
                try {
                    append(log, "f" + i);
                } catch (LogOfflineException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("an append failed").isNotNull();
            assertThat(log.isOffline()).isTrue();
            assertThat(told).singleElement().asString().contains("t-0");
            assertThatThrownBy(() -> log.append(batch("more", 1), 0)).isInstanceOf(LogOfflineException.class);
        }
        disk.free();
        try (LogManager restarted = manager()) {
            PartitionLog recovered = restarted.log(TP).orElseThrow();
            assertThat(readAll(recovered, 0)).containsExactlyElementsOf(written);
            assertThat(recovered.append(batch("after", 1), 0).firstOffset()).isEqualTo(written.size());
        }
    }
}
