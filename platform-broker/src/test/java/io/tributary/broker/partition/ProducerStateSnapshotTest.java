package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer-state snapshot that a follower's truncation left behind: once the log is cut below its
 * offset, the state is rebuilt from the log and the snapshot deleted. Kept, it would be loaded again
 * after a restart once the log had grown past its offset with other batches, and the producer's
 * sequence window would describe batches the log no longer holds: a retry then goes unrecognised
 * and is written twice.
 */
class ProducerStateSnapshotTest {

    private static final long PRODUCER = 7;

    @TempDir
    Path dir;

    @Test
    void aSnapshotBeyondTheTruncatedLogIsDeletedAndNeverLoadedAgain() throws Exception {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.loadSnapshot(0, 0);
        for (int i = 0; i < 10; i++) {
            state.update(PRODUCER, (short) 0, i, i, i, i); // batches 0..9 at offsets 0..9
        }
        state.writeSnapshot();
        assertThat(dir.resolve(ProducerStateManager.SNAPSHOT_FILE)).exists();

        // The follower truncates to offset 5: the snapshot (up to 10) no longer fits the log.
        assertThat(state.loadSnapshot(0, 5)).as("replay from the log start").isZero();
        assertThat(dir.resolve(ProducerStateManager.SNAPSHOT_FILE)).doesNotExist();

        // The new leader's batches (another producer) take the log past 10 again; a restart replays them all.
        ProducerStateManager restarted = new ProducerStateManager(dir);
        assertThat(restarted.loadSnapshot(0, 12)).as("nothing stale to start from").isZero();
        assertThat(restarted.producerCount()).isZero();
    }

    @Test
    void theNextSnapshotIsWrittenWhateverItsOffset() throws Exception {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.loadSnapshot(0, 0);
        for (int i = 0; i < 10; i++) {
            state.update(PRODUCER, (short) 0, i, i, i, i);
        }
        state.writeSnapshot();
        state.loadSnapshot(0, 5);
        for (int i = 0; i < 5; i++) {
            state.update(PRODUCER, (short) 0, i, i, i, i);
        }
        for (int i = 5; i < 10; i++) {
            state.update(8, (short) 0, i - 5, i - 5, i, i);
        }
        state.writeSnapshot(); // up to 10 again, as the discarded one was
        assertThat(dir.resolve(ProducerStateManager.SNAPSHOT_FILE)).exists();
        ProducerStateManager restarted = new ProducerStateManager(dir);
        assertThat(restarted.loadSnapshot(0, 10)).isEqualTo(10);
        assertThat(restarted.producerCount()).isEqualTo(2);
    }
}
