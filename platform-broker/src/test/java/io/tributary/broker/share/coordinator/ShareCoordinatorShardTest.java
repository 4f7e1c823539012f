package io.tributary.broker.share.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * One partition of {@code __share_group_state}: its records' format, state that changes only by replay,
 * leader- and state-epoch fencing, deletes, and a load that rebuilds the same state from the log.
 */
class ShareCoordinatorShardTest {

    private static final SharePartitionKey KEY = new SharePartitionKey("queue-readers", Uuid.randomUuid(), 3);
    private static final SharePartitionState STATE = new SharePartitionState(1, 5, 100, List.of(
            new ShareStateBatch(100, 109, ShareStateBatch.ACKNOWLEDGED, (short) 1),
            new ShareStateBatch(110, 110, ShareStateBatch.AVAILABLE, (short) 3),
            new ShareStateBatch(111, 120, ShareStateBatch.ARCHIVED, (short) 5)));

    private final ShareCoordinatorShard shard = new ShareCoordinatorShard(0, () -> 1_000L);
    /** The partition's log as the runtime would have appended it: each record with its offset. */
    private final List<SimpleRecord> log = new ArrayList<>();

    /** Appends the result's records and replays them, as the runtime does once the replicas hold them. */
    private <T> T held(CoordinatorResult<T> result) {
        return held(shard, result);
    }

    private <T> T held(ShareCoordinatorShard into, CoordinatorResult<T> result) {
        for (SimpleRecord record : result.records()) {
            into.replay(record.key(), record.value(), log.size());
            log.add(record);
        }
        return result.response();
    }

    @Test
    void keysAndStatesSurviveTheirBinaryFormat() {
        SharePartitionKey colons = new SharePartitionKey("team:queue", Uuid.randomUuid(), Integer.MAX_VALUE);

        assertThat(ShareStateRecords.readKey(ByteBuffer.wrap(ShareStateRecords.key(colons)))).isEqualTo(colons);
        assertThat(ShareStateRecords.readValue(ByteBuffer.wrap(ShareStateRecords.value(STATE)))).isEqualTo(STATE);
        SharePartitionState empty = new SharePartitionState(0, -1, -1, List.of());
        assertThat(ShareStateRecords.readValue(ByteBuffer.wrap(ShareStateRecords.value(empty)))).isEqualTo(empty);
    }

    @Test
    void unknownVersionsAreRefusedRatherThanGuessed() {
        byte[] value = ShareStateRecords.value(STATE);
        value[1] = 9;
        assertThatThrownBy(() -> ShareStateRecords.readValue(ByteBuffer.wrap(value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 9");
    }

    @Test
    void theCoordinatorKeyIsKafkasAndParsesBack() {
        assertThat(KEY.asCoordinatorKey()).isEqualTo("queue-readers:" + KEY.topicId() + ":3");
        assertThat(SharePartitionKey.parse(KEY.asCoordinatorKey())).isEqualTo(KEY);
        SharePartitionKey colons = new SharePartitionKey("a:b", KEY.topicId(), 0);
        assertThat(SharePartitionKey.parse(colons.asCoordinatorKey())).isEqualTo(colons);
        assertThat(SharePartitionKey.parse("no-topic-id")).isNull();
        assertThat(SharePartitionKey.parse("group:not-a-uuid:1")).isNull();
        assertThat(SharePartitionKey.parse("group:" + KEY.topicId() + ":x")).isNull();
    }

    @Test
    void aWriteTakesEffectOnlyOnceReplayedAndReplacesTheWholeState() {
        CoordinatorResult<Void> write = shard.write(KEY, STATE);
        assertThat(write.records()).hasSize(1);
        assertThat(shard.state(KEY)).isEmpty();

        held(write);
        assertThat(shard.state(KEY)).contains(STATE);

        SharePartitionState next = new SharePartitionState(1, 5, 111, List.of(
                new ShareStateBatch(111, 111, ShareStateBatch.AVAILABLE, (short) 1)));
        held(shard.write(KEY, next));
        assertThat(shard.state(KEY)).contains(next);
    }

    @Test
    void aWriteFromAnOlderLeaderIsFencedAndChangesNothing() {
        held(shard.write(KEY, STATE));

        assertThatThrownBy(() -> shard.write(KEY, new SharePartitionState(1, 4, 200, List.of())))
                .isInstanceOfSatisfying(CoordinatorException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH));
        assertThat(shard.state(KEY)).contains(STATE);

        held(shard.write(KEY, new SharePartitionState(1, 6, 200, List.of())));
        assertThat(shard.state(KEY).orElseThrow().leaderEpoch()).isEqualTo(6);
    }

    @Test
    void aWriteOfAnOlderStateEpochIsFenced() {
        held(shard.write(KEY, STATE));

        assertThatThrownBy(() -> shard.write(KEY, new SharePartitionState(0, 5, 200, List.of())))
                .isInstanceOfSatisfying(CoordinatorException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.FENCED_STATE_EPOCH));
    }

    @Test
    void aWriteDecidedButNotYetHeldAlreadyFencesAnOlderLeader() {
        held(shard.write(KEY, STATE));
        CoordinatorResult<Void> newer = shard.write(KEY, new SharePartitionState(1, 7, 100, List.of())); // not held yet

        assertThatThrownBy(() -> shard.write(KEY, new SharePartitionState(1, 6, 100, List.of())))
                .isInstanceOfSatisfying(CoordinatorException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH));
        held(newer);
    }

    @Test
    void aReadFromANewerLeaderRecordsItsEpochSoThatTheOldLeaderIsFenced() {
        held(shard.write(KEY, STATE));

        assertThat(shard.read(KEY, ShareCoordinatorShard.NO_EPOCH).records()).isEmpty();
        assertThat(shard.read(KEY, 5).records()).isEmpty();
        Optional<SharePartitionState> read = held(shard.read(KEY, 6));

        assertThat(read).contains(STATE);
        assertThat(shard.state(KEY).orElseThrow().leaderEpoch()).isEqualTo(6);
        assertThatThrownBy(() -> shard.write(KEY, STATE)).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH));
        assertThatThrownBy(() -> shard.read(KEY, 5)).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH));
    }

    @Test
    void initializingStartsANewStateEpochWithNothingInFlightAndFencesOlderStateEpochs() {
        held(shard.write(KEY, STATE));

        held(shard.initialize(KEY, 2, 500));

        assertThat(shard.state(KEY)).contains(new SharePartitionState(2, 5, 500, List.of()));
        assertThatThrownBy(() -> shard.write(KEY, STATE)).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.FENCED_STATE_EPOCH));
        assertThatThrownBy(() -> shard.initialize(KEY, 1, 0)).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.FENCED_STATE_EPOCH));
    }

    @Test
    void aDeleteWritesATombstoneAndForgetsTheEpochs() {
        held(shard.write(KEY, STATE));

        CoordinatorResult<Void> delete = shard.delete(KEY);
        assertThat(delete.records()).singleElement().satisfies(record -> assertThat(record.value()).isNull());
        held(delete);

        assertThat(shard.state(KEY)).isEmpty();
        assertThat(shard.size()).isZero();
        assertThat(shard.delete(KEY).records()).isEmpty(); // nothing left to delete
        held(shard.write(KEY, new SharePartitionState(0, 0, 0, List.of()))); // a new group of the same name starts over
        assertThat(shard.state(KEY)).contains(new SharePartitionState(0, 0, 0, List.of()));
    }

    @Test
    void recordsReplayedOutOfOrderKeepTheLatest() {
        SharePartitionState older = new SharePartitionState(1, 5, 100, List.of());
        SharePartitionState newer = new SharePartitionState(1, 5, 150, List.of());
        shard.replay(ByteBuffer.wrap(ShareStateRecords.key(KEY)), ByteBuffer.wrap(ShareStateRecords.value(newer)), 8);
        shard.replay(ByteBuffer.wrap(ShareStateRecords.key(KEY)), ByteBuffer.wrap(ShareStateRecords.value(older)), 7);
        assertThat(shard.state(KEY)).contains(newer);

        shard.replay(ByteBuffer.wrap(ShareStateRecords.key(KEY)), null, 10);
        shard.replay(ByteBuffer.wrap(ShareStateRecords.key(KEY)), ByteBuffer.wrap(ShareStateRecords.value(newer)), 9);
        assertThat(shard.state(KEY)).isEmpty(); // a delete is not undone by an older write completing late
    }

    @Test
    void aLoadReplaysTheLogIntoTheSameStatesAndFences() {
        SharePartitionKey other = new SharePartitionKey("queue-readers", KEY.topicId(), 4);
        SharePartitionKey deleted = new SharePartitionKey("gone", KEY.topicId(), 0);
        shard.onLoaded();
        held(shard.write(KEY, STATE));
        held(shard.write(other, new SharePartitionState(0, 2, 7, List.of())));
        held(shard.write(deleted, new SharePartitionState(3, 3, 3, List.of())));
        held(shard.delete(deleted));
        held(shard.read(KEY, 9));

        ShareCoordinatorShard loaded = new ShareCoordinatorShard(0, () -> 2_000L);
        for (int offset = 0; offset < log.size(); offset++) {
            loaded.replay(log.get(offset).key(), log.get(offset).value(), offset);
        }
        loaded.onLoaded();

        for (SharePartitionKey key : List.of(KEY, other, deleted)) {
            assertThat(loaded.state(key)).isEqualTo(shard.state(key));
            assertThat(loaded.leaderEpoch(key)).isEqualTo(shard.leaderEpoch(key));
        }
        assertThat(loaded.size()).isEqualTo(2);
        assertThatThrownBy(() -> loaded.write(KEY, STATE)).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH));
        held(loaded, loaded.write(deleted, new SharePartitionState(0, 0, 0, List.of()))); // its epochs went with it
    }

    @Test
    void aStateWithoutStartOffsetOrBatchesCountsAsNotInitialized() {
        assertThat(ShareCoordinatorShard.isInitialized(new SharePartitionState(0, 4, -1, List.of()))).isFalse();
        assertThat(ShareCoordinatorShard.isInitialized(new SharePartitionState(0, 4, 0, List.of()))).isTrue();
        assertThat(ShareCoordinatorShard.isInitialized(STATE)).isTrue();
    }
}
