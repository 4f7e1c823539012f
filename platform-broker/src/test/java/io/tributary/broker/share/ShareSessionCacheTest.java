package io.tributary.broker.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import io.tributary.broker.share.ShareSessionCache.Key;
import io.tributary.broker.share.ShareSessionCache.ShareSession;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ShareSessionCacheTest {

    private static final TopicIdPartition P0 = new TopicIdPartition(Uuid.randomUuid(), 0, null);
    private static final TopicIdPartition P1 = new TopicIdPartition(P0.topicId(), 1, null);
    private final AtomicLong now = new AtomicLong();
    private final ShareSessionCache cache = new ShareSessionCache(2, 1_000, now::get);

    @Test
    void epochsMustFollowEachOther() {
        Key key = new Key("g", "m");
        assertThat(cache.next(key, 1).error()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
        assertThat(cache.open(key, List.of(P0), new ArrayList<>()).error()).isEqualTo(Errors.NONE);

        assertThat(cache.next(key, 2).error()).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);
        ShareSession session = cache.next(key, 1).session();
        session.update(List.of(P1), List.of(P0));
        assertThat(cache.next(key, 2).session().partitions()).containsExactly(P1);
        assertThat(cache.next(key, 2).error()).isEqualTo(Errors.INVALID_SHARE_SESSION_EPOCH);

        assertThat(cache.close(key).error()).isEqualTo(Errors.NONE);
        assertThat(cache.close(key).error()).isEqualTo(Errors.SHARE_SESSION_NOT_FOUND);
    }

    @Test
    void reopeningReplacesTheSessionAndAFullCacheMakesRoomOnlyFromIdleOnes() {
        List<ShareSession> ended = new ArrayList<>();
        cache.open(new Key("g", "a"), List.of(P0), ended);
        cache.open(new Key("g", "a"), List.of(P1), ended);
        assertThat(ended).extracting(ShareSession::partitions).containsExactly(List.of(P0));

        cache.open(new Key("g", "b"), List.of(P0), ended);
        assertThat(cache.open(new Key("g", "c"), List.of(P0), ended).error()).isEqualTo(Errors.SHARE_SESSION_LIMIT_REACHED);

        now.addAndGet(1_001);
        assertThat(cache.open(new Key("g", "c"), List.of(P0), ended).error()).isEqualTo(Errors.NONE);
        assertThat(ended).extracting(session -> session.key().memberId()).contains("a", "b");
    }
}
