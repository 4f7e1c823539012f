package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.tributary.broker.log.LogOfflineException;
import org.junit.jupiter.api.Test;

/** A failed data directory stops the broker once: leaderships handed over first, then the process ends with 74. */
class LogDirFailureShutdownTest {

    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final List<Runnable> queued = new CopyOnWriteArrayList<>();

    private static LogOfflineException fullDisk(String partition) {
        return new LogOfflineException("Partition " + partition + " is offline: could not append at offset 7",
                new IOException("No space left on device"));
    }

    @Test
    void theFirstFailureHandsTheLeadershipsOverThenEndsTheProcessOnce() {
        LogDirFailureShutdown shutdown = new LogDirFailureShutdown(2, () -> steps.add("hand over"),
                status -> steps.add("exit " + status), queued::add);

        shutdown.onLogDirFailure(Path.of("/data"), fullDisk("t-0"));
        shutdown.onLogDirFailure(Path.of("/data"), fullDisk("t-1"));

        // Nothing on the failing thread: it answers its request and lets go of the partition's lock.
        assertThat(steps).isEmpty();
        assertThat(queued).hasSize(1);
        queued.get(0).run();
        assertThat(steps).containsExactly("hand over", "exit " + LogDirFailureShutdown.EXIT_STATUS);
        assertThat(LogDirFailureShutdown.EXIT_STATUS).isEqualTo(74);
    }

    @Test
    void aHandOverThatFailsStillEndsTheProcess() {
        LogDirFailureShutdown shutdown = new LogDirFailureShutdown(0, () -> {
            throw new IllegalStateException("no quorum");
        }, status -> steps.add("exit " + status), Runnable::run);

        shutdown.onLogDirFailure(Path.of("/data"), fullDisk("t-0"));

        assertThat(steps).containsExactly("exit 74");
    }
}
