package io.tributary.broker.share;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * ShareFetches waiting because every share-partition they asked for had its window full (all its record
 * locks taken): each is woken as soon as one of those share-partitions has records to hand out again
 * (acknowledged, released, or their locks ran out), not only at the end of its {@code max.wait.ms}. Without
 * this, members whose own fetches carry acknowledgements would take the freed records while the others
 * sleep, and the work would not be shared.
 *
 * @param <K> a share-partition's key
 */
final class ParkedShareFetches<K> {

    private final Map<K, List<Runnable>> parked = new ConcurrentHashMap<>();
    private final Executor executor;

    /** @param executor where woken fetches run again, off the thread that freed the records */
    ParkedShareFetches(Executor executor) {
        this.executor = executor;
    }

    /** Parks a waiting fetch on these share-partitions; {@code wake} must do its work only once. */
    void park(List<K> keys, Runnable wake) {
        for (K key : keys) {
            parked.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(wake);
        }
    }

    /** Forgets a fetch that completed (woken elsewhere or timed out). */
    void unpark(List<K> keys, Runnable wake) {
        for (K key : keys) {
            parked.computeIfPresent(key, (k, waiting) -> {
                waiting.remove(wake);
                return waiting.isEmpty() ? null : waiting;
            });
        }
    }

    /** Wakes the fetches parked on the share-partition. */
    void wake(K key) {
        List<Runnable> waiting = parked.remove(key);
        if (waiting != null) {
            waiting.forEach(executor::execute);
        }
    }
}
