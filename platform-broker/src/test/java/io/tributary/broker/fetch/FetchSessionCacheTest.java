package io.tributary.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.junit.jupiter.api.Test;

/** The session cache's rules: which request is what, epochs, closing, and who makes room for whom. */
class FetchSessionCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void epochsSayWhatARequestIs() {
        FetchSessionCache cache = new FetchSessionCache(10, 120_000, now::get);
        assertThat(cache.newContext(0, FetchMetadata.FINAL_EPOCH, true, partitions(2), List.of()).kind())
                .isEqualTo(FetchContext.Kind.SESSIONLESS);
        assertThat(cache.newContext(0, FetchMetadata.INITIAL_EPOCH, true, partitions(2), List.of()).kind())
                .isEqualTo(FetchContext.Kind.NEW_SESSION);
        FetchSession session = cache.create(true, partitions(2), false);
        assertThat(session.epoch()).isEqualTo(1);

        FetchContext incremental = cache.newContext(session.id(), 1, true, List.of(), List.of());
        assertThat(incremental.kind()).isEqualTo(FetchContext.Kind.INCREMENTAL);
        assertThat(incremental.session()).isSameAs(session);
        assertThat(cache.newContext(session.id(), 1, true, List.of(), List.of()).error())
                .isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(cache.newContext(session.id(), 2, false, List.of(), List.of()).error())
                .as("a session by topic ids, asked by names").isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
        assertThat(cache.newContext(session.id() + 1, 1, true, List.of(), List.of()).error())
                .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

        // A new full fetch naming the session closes it.
        assertThat(cache.newContext(session.id(), FetchMetadata.INITIAL_EPOCH, true, partitions(2), List.of()).kind())
                .isEqualTo(FetchContext.Kind.NEW_SESSION);
        assertThat(cache.size()).isZero();
    }

    @Test
    void aSessionThatForgetsEveryPartitionIsClosed() {
        FetchSessionCache cache = new FetchSessionCache(10, 120_000, now::get);
        FetchSession session = cache.create(false, partitions(2), false);
        List<FetchSession.Key> both = List.of(new FetchSession.Key(Uuid.ZERO_UUID, "t", 0),
                new FetchSession.Key(Uuid.ZERO_UUID, "t", 1));
        assertThat(cache.newContext(session.id(), 1, false, List.of(), both).kind()).isEqualTo(FetchContext.Kind.SESSIONLESS);
        assertThat(cache.size()).isZero();
    }

    @Test
    void anIncrementalRequestUpdatesAddsAndAnswersOnlyWhatChanged() {
        FetchSessionCache cache = new FetchSessionCache(10, 120_000, now::get);
        FetchSession session = cache.create(false, partitions(2), false);
        session.answer(session.partitions().get(0), 10, (short) 0, 5, 0, false);
        session.answer(session.partitions().get(1), 0, (short) 0, 5, 0, false);
        cache.newContext(session.id(), 1, false, List.of(new SessionPartition(Uuid.ZERO_UUID, "t", 0, 5, 100, -1),
                new SessionPartition(Uuid.ZERO_UUID, "t", 7, 0, 100, -1)), List.of());
        List<SessionPartition> partitions = session.partitions();
        assertThat(partitions).extracting(SessionPartition::partition).containsExactly(1, 0, 7)
                .as("answered with records last time: partition 0 went to the end");
        assertThat(partitions.get(1).fetchOffset()).isEqualTo(5);
        SessionPartition zero = partitions.get(1);
        assertThat(session.answer(zero, 0, (short) 0, 5, 0, false)).as("nothing new").isFalse();
        assertThat(session.answer(zero, 0, (short) 0, 6, 0, false)).as("a new high watermark").isTrue();
        assertThat(session.answer(zero, 0, Errors.NOT_LEADER_OR_FOLLOWER.code(), -1, -1, false)).isTrue();
        assertThat(session.answer(zero, 0, (short) 0, 6, 0, false)).as("again after the error").isTrue();
        assertThat(session.answer(partitions.get(2), 0, (short) 0, 0, 0, false)).as("new to the session").isTrue();
    }

    @Test
    void aFullCacheMakesRoomForABiggerSessionOrAfterAnIdleOne() {
        FetchSessionCache cache = new FetchSessionCache(2, 120_000, now::get);
        FetchSession small = cache.create(true, partitions(1), false);
        now.addAndGet(10);
        FetchSession big = cache.create(true, partitions(5), false);
        assertThat(cache.create(true, partitions(1), false)).as("no smaller session, none idle").isNull();
        FetchSession bigger = cache.create(true, partitions(3), false);
        assertThat(bigger).as("took the small one's place").isNotNull();
        assertThat(cache.newContext(small.id(), 1, true, List.of(), List.of()).error())
                .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        now.addAndGet(120_000);
        cache.newContext(bigger.id(), 1, true, List.of(), List.of()); // used now; the big one is idle
        assertThat(cache.create(true, partitions(1), false)).isNotNull();
        assertThat(cache.newContext(big.id(), 1, true, List.of(), List.of()).error())
                .isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        assertThat(cache.evictions()).isEqualTo(2);

        // A follower's session takes a consumer's place, however small, and keeps its own.
        FetchSession follower = cache.create(true, partitions(1), true);
        assertThat(follower).isNotNull();
        assertThat(cache.create(true, partitions(9), false)).as("the remaining consumer's session gives way").isNotNull();
        assertThat(cache.create(true, partitions(50), false)).as("a consumer's gives way again, not the follower's").isNotNull();
        assertThat(cache.newContext(follower.id(), 1, true, List.of(), List.of()).kind())
                .isEqualTo(FetchContext.Kind.INCREMENTAL);
        assertThat(new FetchSessionCache(0, 120_000, now::get).create(true, partitions(1), false)).as("sessions off").isNull();
    }

    private static List<SessionPartition> partitions(int count) {
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(p -> new SessionPartition(Uuid.ZERO_UUID, "t", p, 0, 1 << 20, -1)).toList();
    }
}
