package io.tributary.broker.share;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share sessions of the members fetching from this broker (Kafka's {@code ShareSessionCache}): a
 * member opens one with epoch 0 naming its partitions, then names only what changed, each request with
 * the next epoch; epoch -1 ends it. A session idle for longer than {@code idleTimeoutMs} ends on its
 * own, so that what its member held goes back to the queue.
 *
 * <p>Thread-safe: every method holds the cache's monitor.
 */
public final class ShareSessionCache {

    public static final int INITIAL_EPOCH = 0;
    public static final int FINAL_EPOCH = -1;

    /** A session's key: a member of a group. */
    public record Key(String groupId, String memberId) {
    }

    /** A member's session: the partitions it fetches, and the epoch its next request must carry. */
    public static final class ShareSession {
        private final Key key;
        private final Set<TopicIdPartition> partitions = new LinkedHashSet<>();
        private int epoch = 1;
        private long lastUsedMs;

        ShareSession(Key key, long now) {
            this.key = key;
            this.lastUsedMs = now;
        }

        public Key key() {
            return key;
        }

        /** The partitions it fetches, in the order they were added. */
        public synchronized List<TopicIdPartition> partitions() {
            return new ArrayList<>(partitions);
        }

        public synchronized void update(Collection<TopicIdPartition> added, Collection<TopicIdPartition> forgotten) {
            partitions.addAll(added);
            partitions.removeAll(forgotten);
        }
    }

    /** A session looked up for a request: the session, or the error to answer. */
    public record Lookup(ShareSession session, Errors error) {
        static Lookup failed(Errors error) {
            return new Lookup(null, error);
        }
    }

    private final Map<Key, ShareSession> sessions = new HashMap<>();
    private final int maxSessions;
    private final long idleTimeoutMs;
    private final LongSupplier clock;

    public ShareSessionCache(int maxSessions, long idleTimeoutMs, LongSupplier clock) {
        this.maxSessions = maxSessions;
        this.idleTimeoutMs = idleTimeoutMs;
        this.clock = clock;
    }

    /**
     * Opens the member's session (epoch 0), replacing one it had: that one's partitions are returned in
     * {@code replaced} so that what it held is released. SHARE_SESSION_LIMIT_REACHED when the cache is
     * full of sessions still in use.
     */
    public synchronized Lookup open(Key key, Collection<TopicIdPartition> partitions, List<ShareSession> replaced) {
        ShareSession previous = sessions.remove(key);
        if (previous != null) {
            replaced.add(previous);
        }
        if (sessions.size() >= maxSessions) {
            replaced.addAll(evictIdle());
            if (sessions.size() >= maxSessions) {
                return Lookup.failed(Errors.SHARE_SESSION_LIMIT_REACHED);
            }
        }
        ShareSession session = new ShareSession(key, clock.getAsLong());
        session.update(partitions, List.of());
        sessions.put(key, session);
        return new Lookup(session, Errors.NONE);
    }

    /**
     * The session of a request with epoch {@code epoch} &gt; 0, whose epoch then moves on:
     * SHARE_SESSION_NOT_FOUND when the member has none, INVALID_SHARE_SESSION_EPOCH when the epoch is not
     * the one expected.
     */
    public synchronized Lookup next(Key key, int epoch) {
        ShareSession session = sessions.get(key);
        if (session == null) {
            return Lookup.failed(Errors.SHARE_SESSION_NOT_FOUND);
        }
        if (session.epoch != epoch) {
            return Lookup.failed(Errors.INVALID_SHARE_SESSION_EPOCH);
        }
        session.epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        session.lastUsedMs = clock.getAsLong();
        return new Lookup(session, Errors.NONE);
    }

    /** Ends the member's session (epoch -1): SHARE_SESSION_NOT_FOUND when it has none. */
    public synchronized Lookup close(Key key) {
        ShareSession session = sessions.remove(key);
        return session == null ? Lookup.failed(Errors.SHARE_SESSION_NOT_FOUND) : new Lookup(session, Errors.NONE);
    }

    /** Ends the sessions idle for longer than the timeout, and returns them. */
    public synchronized List<ShareSession> evictIdle() {
        long now = clock.getAsLong();
        List<ShareSession> evicted = new ArrayList<>();
        sessions.values().removeIf(session -> {
            boolean idle = now - session.lastUsedMs > idleTimeoutMs;
            if (idle) {
                evicted.add(session);
            }
            return idle;
        });
        return evicted;
    }

    public synchronized int size() {
        return sessions.size();
    }
}
