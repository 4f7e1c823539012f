package io.tributary.broker.log;

/**
 * Told how long each flush of a partition log to disk took, for metrics. Called on the flushing
 * thread right after the fsync; implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface FlushListener {

    /** Does nothing. */
    FlushListener NONE = durationNanos -> { };

    /** A flush that forced at least one segment to disk took this long. */
    void onFlush(long durationNanos);
}
