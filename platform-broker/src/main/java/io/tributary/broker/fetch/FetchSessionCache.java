package io.tributary.broker.fetch;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;

/**
 * The broker's fetch sessions, at most {@code maxSessions} of them (Kafka's
 * {@code max.incremental.fetch.session.cache.slots}). When it is full, a new session takes the place of
 * the one unused for longest if that one has been idle for {@code evictionMs}, else of the smallest
 * consumer's session if the new one is a follower's or larger (a follower's session, or a consumer's of
 * many partitions, gains most); else the client gets none and goes on with full fetches. Followers'
 * sessions give way only when idle, as in Kafka.
 *
 * <p>Thread-safe.
 */
public final class FetchSessionCache {

    private final int maxSessions;
    private final long evictionMs;
    private final LongSupplier clock;
    private final Map<Integer, FetchSession> sessions = new HashMap<>();
    private long evictions;

    public FetchSessionCache(int maxSessions, long evictionMs, LongSupplier clockMs) {
        this.maxSessions = maxSessions;
        this.evictionMs = evictionMs;
        this.clock = clockMs;
    }

    /**
     * What a fetch request is, as KIP-227 reads its session id and epoch: a full fetch without a session
     * (epoch -1; a session it names is closed), a full fetch that opens one (epoch 0; likewise), or an
     * incremental fetch of a session, which the request updates.
     *
     * @param usesTopicIds whether the request names topics by id (version 13 and later)
     * @param named        the partitions the request names, with their positions
     * @param forgotten    the partitions it asks to leave the session
     */
    public FetchContext newContext(int sessionId, int epoch, boolean usesTopicIds, List<SessionPartition> named,
            List<FetchSession.Key> forgotten) {
        if (epoch == FetchMetadata.INITIAL_EPOCH || epoch == FetchMetadata.FINAL_EPOCH) {
            if (sessionId != FetchMetadata.INVALID_SESSION_ID) {
                remove(sessionId);
            }
            return epoch == FetchMetadata.FINAL_EPOCH ? FetchContext.sessionless() : FetchContext.newSession(usesTopicIds);
        }
        FetchSession session;
        synchronized (this) {
            session = sessions.get(sessionId);
        }
        if (session == null) {
            return FetchContext.failed(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        boolean partitionsLeft;
        // The session's lock alone: the cache's is taken after it is released, never inside (create() holds
        // the cache's while it looks at sessions).
        synchronized (session) {
            if (session.epoch() != epoch) {
                return FetchContext.failed(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            if (session.usesTopicIds() != usesTopicIds) {
                return FetchContext.failed(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
            }
            List<FetchSession.Key> keys = forgotten.stream().map(k -> session.key(k.topicId(), k.topic(), k.partition()))
                    .toList();
            partitionsLeft = session.update(named, keys, clock.getAsLong());
        }
        if (!partitionsLeft) {
            // As Kafka: a session left without partitions is closed, and the fetch answered as a full one.
            remove(sessionId);
            return FetchContext.sessionless();
        }
        return FetchContext.incremental(session);
    }

    /**
     * A new session of these partitions, or {@code null} when there is no room for it.
     *
     * @param privileged a follower's session
     */
    public synchronized FetchSession create(boolean usesTopicIds, List<SessionPartition> partitions, boolean privileged) {
        long now = clock.getAsLong();
        if (maxSessions < 1 || sessions.size() >= maxSessions && !evictFor(partitions.size(), privileged, now)) {
            return null;
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, usesTopicIds, privileged, partitions, now);
        sessions.put(id, session);
        return session;
    }

    private boolean evictFor(int size, boolean privileged, long now) {
        FetchSession idlest = sessions.values().stream().min(Comparator.comparingLong(FetchSession::lastUsedMs)).orElseThrow();
        FetchSession victim = now - idlest.lastUsedMs() >= evictionMs ? idlest
                : sessions.values().stream().filter(session -> !session.privileged())
                        .min(Comparator.comparingInt(FetchSession::size))
                        .filter(smallest -> privileged || smallest.size() < size).orElse(null);
        if (victim == null) {
            return false;
        }
        sessions.remove(victim.id());
        evictions++;
        return true;
    }

    public synchronized void remove(int sessionId) {
        sessions.remove(sessionId);
    }

    /** Sessions open now. */
    public synchronized int size() {
        return sessions.size();
    }

    /** Sessions dropped to make room for others, since start. */
    public synchronized long evictions() {
        return evictions;
    }
}
