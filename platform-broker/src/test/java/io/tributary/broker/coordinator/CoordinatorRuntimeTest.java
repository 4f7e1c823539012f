package io.tributary.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator runtime in a cluster: a write is answered, and replayed, only once the in-sync
 * replicas hold it; a write they do not take is answered with the coordinator's error and replays
 * nothing; loading is the replay of the log; losing the leadership drops the shard.
 */
@Timeout(60)
class CoordinatorRuntimeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private ReplicatedCoordinatorFixture fixture;

    private ReplicatedCoordinatorFixture start(Map<String, String> topicConfigs, List<Integer> isr) {
        fixture = new ReplicatedCoordinatorFixture(dir, topicConfigs);
        fixture.lead(0, 1, isr);
        fixture.runtime.startup();
        await().atMost(WAIT).until(() -> fixture.runtime.coordinatorError(0) == Errors.NONE);
        return fixture;
    }

    @AfterEach
    void stop() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aWriteIsAnsweredAndReplayedOnlyOnceTheInSyncReplicasHoldIt() {
        start(Map.of(), List.of(0, 1));
        KeyValueShard shard = fixture.shard();
        assertThat(shard.loaded).isTrue();

        CompletableFuture<String> written = fixture.runtime.scheduleWriteOperation(0, s -> KeyValueShard.put("a", "1"));

        assertThat(fixture.partition().log().logEndOffset()).as("appended at once").isEqualTo(1);
        assertThat(written).as("not answered before the follower holds it").isNotDone();
        assertThat(shard.state).as("nor replayed").isEmpty();

        fixture.followerCatchesUp();

        await().atMost(WAIT).until(written::isDone);
        assertThat(written.join()).isEqualTo("done");
        assertThat(shard.state).containsExactly(Map.entry("a", "1"));
        assertThat(shard.replayed).containsExactly(0L);
    }

    @Test
    void aWriteWhoseLeadershipIsLostBeforeTheReplicasHoldItIsNotCoordinatorAndReplaysNothing() {
        start(Map.of(), List.of(0, 1));
        KeyValueShard shard = fixture.shard();
        CompletableFuture<String> written = fixture.runtime.scheduleWriteOperation(0, s -> KeyValueShard.put("a", "1"));
        assertThat(written).isNotDone();

        fixture.lead(1, 2, List.of(0, 1)); // broker 1 takes over

        await().atMost(WAIT).until(written::isDone);
        assertThat(errorOf(written)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(shard.state).isEmpty();
        assertThat(shard.replayed).isEmpty();
        // The shard is dropped: this broker answers NOT_COORDINATOR and writes nothing more.
        await().atMost(WAIT).until(() -> shard.unloaded);
        assertThat(fixture.runtime.coordinatorError(0)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(fixture.runtime.shard(0)).isEmpty();
        assertThat(fixture.runtime.shards()).isEmpty();
        assertThat(errorOf(fixture.runtime.scheduleWriteOperation(0, s -> KeyValueShard.put("b", "2"))))
                .isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(errorOf(shard.writer.write(KeyValueShard.put("c", "3")))).as("nor does the old shard's own writer")
                .isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(fixture.partition().log().logEndOffset()).isEqualTo(1);
    }

    @Test
    void anAppendWithTooFewInSyncReplicasIsRefusedAtOnceAndReplaysNothing() {
        start(Map.of("min.insync.replicas", "2"), List.of(0));
        KeyValueShard shard = fixture.shard();

        CompletableFuture<String> written = fixture.runtime.scheduleWriteOperation(0, s -> KeyValueShard.put("a", "1"));

        assertThat(written).isDone();
        assertThat(errorOf(written)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(fixture.partition().log().logEndOffset()).as("nothing appended").isZero();
        assertThat(shard.state).isEmpty();
        assertThat(shard.replayed).isEmpty();
    }

    @Test
    void anOperationsOwnErrorIsAnsweredWithoutWritingAndAResultWithoutRecordsAtOnce() {
        start(Map.of(), List.of(0, 1));

        CompletableFuture<String> refused = fixture.runtime.scheduleWriteOperation(0, s -> {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "no");
        });
        CompletableFuture<String> nothing = fixture.runtime.scheduleWriteOperation(0, s -> CoordinatorResult.answer("same"));

        assertThat(errorOf(refused)).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(nothing).isCompletedWithValue("same");
        assertThat(fixture.partition().log().logEndOffset()).isZero();
    }

    @Test
    void recordsNotToReplayAreHeldButOnlyTheNextLoadAppliesThem() {
        start(Map.of(), List.of(0, 1));
        KeyValueShard shard = fixture.shard();
        CompletableFuture<Void> written = shard.writer.write(new CoordinatorResult<Void>(
                List.of(KeyValueShard.record("kept", "in memory already")), null, false));
        fixture.followerCatchesUp();
        await().atMost(WAIT).until(written::isDone);
        assertThat(written).isCompleted();
        assertThat(shard.state).isEmpty();

        fixture.lead(0, 2, List.of(0, 1)); // a new leader epoch here: the partition is loaded again

        await().atMost(WAIT).until(() -> fixture.shards.size() == 2 && fixture.runtime.coordinatorError(0) == Errors.NONE);
        assertThat(fixture.shard().state).containsExactly(Map.entry("kept", "in memory already"));
    }

    @Test
    void loadingAPartitionIsTheReplayOfItsLogAndReplacesTheShardOfTheEarlierEpoch() {
        start(Map.of(), List.of(0, 1));
        KeyValueShard first = fixture.shard();
        for (CoordinatorResult<String> change : List.of(KeyValueShard.put("a", "1"), KeyValueShard.put("b", "2"),
                KeyValueShard.put("a", "3"), KeyValueShard.put("b", null))) {
            CompletableFuture<String> written = fixture.runtime.scheduleWriteOperation(0, s -> change);
            fixture.followerCatchesUp();
            await().atMost(WAIT).until(written::isDone);
            assertThat(written.join()).isEqualTo("done");
        }
        assertThat(first.state).containsExactly(Map.entry("a", "3"));

        fixture.lead(0, 2, List.of(0, 1));

        await().atMost(WAIT).until(() -> fixture.shards.size() == 2 && fixture.runtime.coordinatorError(0) == Errors.NONE);
        KeyValueShard second = fixture.shard();
        assertThat(second.loaded).isTrue();
        assertThat(second.state).isEqualTo(first.state);
        assertThat(second.replayed).isEqualTo(first.replayed).containsExactly(0L, 1L, 2L, 3L);
        assertThat(first.unloaded).isTrue();
        assertThat(fixture.runtime.shard(0)).containsSame(second);
    }

    private static Errors errorOf(CompletableFuture<?> future) {
        assertThat(future).isDone();
        try {
            future.join();
        } catch (CompletionException e) {
            return CoordinatorException.errorOf(e);
        }
        return Errors.NONE;
    }
}
