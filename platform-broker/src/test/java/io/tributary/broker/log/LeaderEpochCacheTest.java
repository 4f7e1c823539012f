package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {

    @TempDir
    Path dir;

    @Test
    void answersWhereEachEpochEndsAsKafkaDoes() throws IOException {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(2, 0);
        cache.assign(2, 10); // same epoch again: no new entry
        cache.assign(5, 20);
        cache.assign(7, 35);

        assertThat(cache.endOffsetFor(7, 50)).isEqualTo(new EpochEndOffset(7, 50));
        assertThat(cache.endOffsetFor(5, 50)).isEqualTo(new EpochEndOffset(5, 35));
        assertThat(cache.endOffsetFor(6, 50)).isEqualTo(new EpochEndOffset(5, 35));
        assertThat(cache.endOffsetFor(2, 50)).isEqualTo(new EpochEndOffset(2, 20));
        assertThat(cache.endOffsetFor(1, 50)).isEqualTo(new EpochEndOffset(1, 0));
        assertThat(cache.endOffsetFor(8, 50)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(-1, 50)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void isPersistedInKafkasCheckpointFormatAndTruncatedFromBothEnds() throws IOException {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);
        assertThat(Files.readAllLines(dir.resolve("leader-epoch-checkpoint")))
                .containsExactly("0", "3", "1 0", "2 10", "3 20");

        cache.truncateFromEnd(15);
        cache.truncateFromStart(12);

        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(new LeaderEpochCache.EpochEntry(2, 12));
    }
}
