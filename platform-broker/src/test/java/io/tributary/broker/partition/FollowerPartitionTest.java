package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import io.tributary.broker.log.EpochEndOffset;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica on both sides of replication: a leader's batches appended by a follower keep their
 * offsets and epochs, a divergent tail is truncated by epoch, and a follower promoted to leader
 * still recognizes a producer's retries.
 */
class FollowerPartitionTest {

    private static final TopicPartition TP = new TopicPartition("ledger", 0);
    private static final long PRODUCER = 7;

    @TempDir
    Path dir;

    private final List<PartitionLog> logs = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (PartitionLog log : logs) {
            log.close();
        }
    }

    private Partition replica(String name, int localId, int leaderId, int epoch) throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve(name), TP, LogConfig.DEFAULT, Clock.systemUTC(),
                FileChannelFactory.DEFAULT, null);
        logs.add(log);
        return Partition.open(TP, Uuid.ONE_UUID, log, localId, epoch, leaderId, List.of(0, 1), List.of(0, 1),
                () -> 0L);
    }

    private static MemoryRecords batch(int firstSequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1000L, values[i].getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER, (short) 0, firstSequence, records);
    }

    /** What the leader's log holds from {@code offset}, as a replica fetch returns it. */
    private static MemoryRecords readFrom(Partition leader, long offset) {
        return leader.log().read(offset, 1 << 20, Long.MAX_VALUE, true).slice().toMemoryRecords();
    }

    @Test
    void aFollowerKeepsTheLeadersOffsetsAndEpochsAndItsHighWatermarkFollowsTheIsr() throws IOException {
        Partition leader = replica("leader", 0, 0, 3);
        Partition follower = replica("follower", 1, 0, 3);
        leader.appendAsLeader(batch(0, "a", "b"));
        leader.appendAsLeader(batch(2, "c"));
        assertThat(leader.log().highWatermark()).as("the follower has not fetched").isZero();

        leader.followerFetched(1, 0);
        assertThat(follower.appendAsFollower(3, readFrom(leader, 0), leader.log().highWatermark())).isTrue();
        assertThat(follower.log().logEndOffset()).isEqualTo(3);
        assertThat(follower.log().endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 3));

        leader.followerFetched(1, 3);
        assertThat(leader.log().highWatermark()).isEqualTo(3);
        follower.appendAsFollower(3, MemoryRecords.EMPTY, leader.log().highWatermark());
        assertThat(follower.log().highWatermark()).isEqualTo(3);
        assertThat(follower.appendAsFollower(2, MemoryRecords.EMPTY, 3)).as("a stale epoch's fetch").isFalse();
    }

    @Test
    void aPromotedFollowerKnowsItsHighWatermarkOnlyOnceItReachesTheStartOfItsEpoch() throws IOException {
        Partition leader = replica("leader", 0, 0, 0);
        Partition follower = replica("follower", 1, 0, 0);
        leader.appendAsLeader(batch(0, "a", "b"));
        leader.followerFetched(1, 0);
        follower.appendAsFollower(0, readFrom(leader, 0), leader.log().highWatermark());
        leader.followerFetched(1, 2);
        assertThat(leader.log().highWatermark()).as("committed at the old leader").isEqualTo(2);
        assertThat(follower.log().highWatermark()).as("not yet told").isZero();
        assertThat(leader.highWatermarkBehindEpochStart()).isFalse();

        // Promoted before it learned the old leader's high watermark: a client would be told end offset 0.
        follower.become(1, 1, List.of(0, 1), List.of(0, 1));
        assertThat(follower.highWatermarkBehindEpochStart()).as("ListOffsets answers OFFSET_NOT_AVAILABLE").isTrue();
        follower.followerFetched(0, 2);
        assertThat(follower.log().highWatermark()).isEqualTo(2);
        assertThat(follower.highWatermarkBehindEpochStart()).isFalse();
        leader.become(1, 1, List.of(0, 1), List.of(0, 1));
        assertThat(leader.highWatermarkBehindEpochStart()).as("a follower now").isFalse();
    }

    @Test
    void aDivergentTailIsTruncatedAndAPromotedFollowerStillDeduplicatesRetries() throws IOException {
        Partition leader = replica("leader", 0, 0, 0);
        Partition follower = replica("follower", 1, 0, 0);
        leader.appendAsLeader(batch(0, "a"));
        follower.appendAsFollower(0, readFrom(leader, 0), 0);
        leader.appendAsLeader(batch(1, "b")); // replicated, but never acknowledged to all
        follower.appendAsFollower(0, readFrom(leader, 1), 0);

        // The follower leads epoch 1 and takes a write; the old leader, back as a follower, had one more of its own.
        follower.become(1, 1, List.of(0, 1), List.of(1));
        leader.appendAsLeader(batch(2, "x"));
        leader.become(1, 1, List.of(0, 1), List.of(1));
        assertThat(follower.appendAsLeader(batch(1, "b")).duplicate()).as("a retry of a replicated batch").isTrue();
        follower.appendAsLeader(batch(2, "c"));

        // KIP-101: the new leader's epoch 0 ended at 2, so everything the old leader wrote from there goes.
        EpochEndOffset end = follower.log().endOffsetForEpoch(leader.log().latestEpoch());
        assertThat(end).isEqualTo(new EpochEndOffset(0, 2));
        assertThat(leader.truncateAsFollower(1, end.endOffset())).isTrue();
        assertThat(leader.log().logEndOffset()).isEqualTo(2);
        leader.appendAsFollower(1, readFrom(follower, 2), 0);

        List<Long> leaderBatches = new ArrayList<>();
        List<Long> followerBatches = new ArrayList<>();
        readFrom(leader, 0).batches().forEach(b -> leaderBatches.add(b.checksum()));
        readFrom(follower, 0).batches().forEach(b -> followerBatches.add(b.checksum()));
        assertThat(leaderBatches).hasSize(3).isEqualTo(followerBatches);
        RecordBatch last = readFrom(leader, 2).firstBatch();
        assertThat(last.partitionLeaderEpoch()).isEqualTo(1);
        assertThat(last.baseSequence()).as("c, the new leader's batch, replaced x").isEqualTo(2);
    }

    @Test
    void aFollowerTakesTheLeadersLogStartAndRestartsWhenItIsBehindIt() throws IOException {
        Partition leader = replica("leader", 0, 0, 0);
        Partition follower = replica("follower", 1, 0, 0);
        for (int i = 0; i < 4; i++) {
            leader.appendAsLeader(batch(i, "r" + i));
        }
        follower.appendAsFollower(0, readFrom(leader, 0), 0);
        leader.followerFetched(1, 4);
        leader.log().advanceLogStartOffset(2); // DeleteRecords on the leader

        follower.appendAsFollower(0, MemoryRecords.EMPTY, leader.log().highWatermark(), leader.log().logStartOffset());
        assertThat(follower.log().logStartOffset()).isEqualTo(2);

        Partition late = replica("late", 1, 0, 0);
        leader.log().advanceLogStartOffset(3);
        assertThat(late.restartAsFollowerAt(0, leader.log().logStartOffset())).isTrue();
        assertThat(late.log().logStartOffset()).isEqualTo(3);
        late.appendAsFollower(0, readFrom(leader, 3), leader.log().highWatermark(), 3);
        assertThat(late.log().logEndOffset()).isEqualTo(4);
        assertThat(late.log().endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 4));
    }
}
