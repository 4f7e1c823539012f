package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.ManualClock;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * One shard of the group coordinator with writes the test lets the in-sync replicas hold, or not,
 * when it likes: what is written reaches the groups only by replay, and a deletion in flight keeps
 * the group from being joined or committed to.
 */
class GroupCoordinatorShardTest {

    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0,
            3_600_000, 60_000, 64);
    private static final TopicPartition P0 = new TopicPartition("events", 0);

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final HeldWrites log = new HeldWrites();
    private final GroupCoordinatorShard shard = new GroupCoordinatorShard(CONFIG, new ManualScheduler(clock), clock, log);

    /** Writes appended in order, each answered when the test says the in-sync replicas hold it (or not). */
    private static final class HeldWrites implements CoordinatorWriter {
        private final List<CoordinatorResult<?>> results = new ArrayList<>();
        private final List<CompletableFuture<Object>> futures = new ArrayList<>();
        private final List<Long> baseOffsets = new ArrayList<>();
        private final List<SimpleRecord> all = new ArrayList<>();
        GroupCoordinatorShard shard;

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<T> write(CoordinatorResult<T> result) {
            CompletableFuture<Object> future = new CompletableFuture<>();
            results.add(result);
            futures.add(future);
            baseOffsets.add((long) all.size());
            all.addAll(result.records());
            return (CompletableFuture<T>) future;
        }

        /** The in-sync replicas hold write {@code index}: it is replayed (as the runtime does), then answered. */
        void held(int index) {
            CoordinatorResult<?> result = results.get(index);
            if (result.replayRecords()) {
                for (int i = 0; i < result.records().size(); i++) {
                    SimpleRecord record = result.records().get(i);
                    shard.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(),
                            baseOffsets.get(index) + i);
                }
            }
            futures.get(index).complete(result.response());
        }

        void failed(int index, Errors error) {
            futures.get(index).completeExceptionally(new CoordinatorException(error, "not held"));
        }

        int count() {
            return results.size();
        }

        /** A new shard loaded from everything appended: the same replay, in log order. */
        GroupCoordinatorShard load(ManualClock clock) {
            GroupCoordinatorShard loaded = new GroupCoordinatorShard(CONFIG, new ManualScheduler(clock), clock, this);
            for (int i = 0; i < all.size(); i++) {
                SimpleRecord record = all.get(i);
                loaded.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(), i);
            }
            loaded.onLoaded();
            return loaded;
        }
    }

    {
        log.shard = shard;
    }

    @Test
    void aCommitBecomesVisibleOnlyOnceItsRecordsAreHeld() {
        CompletableFuture<Map<TopicPartition, Errors>> committed = commit(5);

        assertThat(committed).isNotDone();
        assertThat(offset()).isEqualTo(-1);

        log.held(0);

        assertThat(committed.join()).containsEntry(P0, Errors.NONE);
        assertThat(offset()).isEqualTo(5);
    }

    @Test
    void aDeletedGroupGoesOnlyOnceItsTombstonesAreHeldAndMeanwhileRefusesJoinsAndCommits() {
        log.held(indexOf(commit(5)));

        CompletableFuture<Errors> deleted = shard.deleteGroup("g");

        assertThat(deleted).isNotDone();
        assertThat(shard.groups.describe("g")).isPresent();
        assertThat(offset()).isEqualTo(5);
        assertThat(Errors.forCode(shard.groups.joinGroup(joinRequest(), "client", "/127.0.0.1", (short) 9).join().errorCode()))
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(shard.offsets.commitOffsets("g", -1, "", null, offsets(6)).response())
                .containsEntry(P0, Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(shard.deleteGroup("g")).isCompletedWithValue(Errors.GROUP_ID_NOT_FOUND);

        log.held(1);

        assertThat(deleted).isCompletedWithValue(Errors.NONE);
        assertThat(shard.groups.describe("g")).isEmpty();
        assertThat(offset()).isEqualTo(-1);
    }

    @Test
    void aDeletionTheReplicasDoNotTakeLeavesTheGroupAsItWas() {
        log.held(indexOf(commit(5)));
        CompletableFuture<Errors> deleted = shard.deleteGroup("g");

        log.failed(1, Errors.NOT_COORDINATOR);

        assertThat(deleted).isCompletedWithValue(Errors.NOT_COORDINATOR);
        assertThat(offset()).isEqualTo(5);
        CompletableFuture<Map<TopicPartition, Errors>> again = commit(7);
        log.held(2);
        assertThat(again.join()).containsEntry(P0, Errors.NONE);
        assertThat(offset()).isEqualTo(7);
    }

    @Test
    void aCommitWrittenBeforeTheGroupsDeletionButHeldAfterItDoesNotBringTheGroupBack() {
        log.held(indexOf(commit(5)));
        CompletableFuture<Map<TopicPartition, Errors>> late = commit(6); // written, not yet held
        CompletableFuture<Errors> deleted = shard.deleteGroup("g");

        log.held(2);
        log.held(1);

        assertThat(deleted).isCompletedWithValue(Errors.NONE);
        assertThat(late.join()).containsEntry(P0, Errors.NONE);
        assertThat(shard.groups.describe("g")).as("as the log says: the commit came before the deletion").isEmpty();
        assertThat(log.load(clock).groups.describe("g")).isEmpty();
        // A commit after the deletion makes the group anew, here as in the log.
        log.held(indexOf(commit(8)));
        assertThat(offset()).isEqualTo(8);
        assertThat(log.load(clock).offsets.committedOffsets("g", List.of(P0)).get(P0).offset()).isEqualTo(8);
    }

    @Test
    void aDeletedGroupsTombstoneIsRememberedOnlyAsLongAsAWriteBeforeItMayStillBeHeld() {
        log.held(indexOf(commit(5)));
        shard.deleteGroup("g");
        log.held(1);
        assertThat(shard.groups.pruneTombstones()).isEqualTo(1);

        clock.set(clock.millis() + 2 * Math.max(CONFIG.offsetCommitTimeoutMs(), 30_000) + 1);

        assertThat(shard.groups.pruneTombstones()).isZero();
    }

    private CompletableFuture<Map<TopicPartition, Errors>> commit(long offset) {
        return log.write(shard.offsets.commitOffsets("g", -1, "", null, offsets(offset)));
    }

    /** The index of the write just made. */
    private int indexOf(CompletableFuture<?> ignored) {
        return log.count() - 1;
    }

    private long offset() {
        return shard.offsets.committedOffsets("g", List.of(P0)).get(P0).offset();
    }

    private static List<GroupCoordinator.OffsetToCommit> offsets(long offset) {
        return List.of(new GroupCoordinator.OffsetToCommit(P0, offset, -1, ""));
    }

    private static JoinGroupRequestData joinRequest() {
        return new JoinGroupRequestData().setGroupId("g").setMemberId("").setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(30_000).setProtocolType("consumer")
                .setProtocols(new JoinGroupRequestProtocolCollection(List.of(new JoinGroupRequestProtocol()
                        .setName("range").setMetadata(new byte[0])).iterator()));
    }
}
