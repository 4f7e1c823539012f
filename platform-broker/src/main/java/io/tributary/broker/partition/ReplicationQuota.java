package io.tributary.broker.partition;

import java.util.function.LongSupplier;

/**
 * A replication rate limit in bytes per second (Kafka's {@code leader.replication.throttled.rate} or
 * {@code follower.replication.throttled.rate}): a token bucket that holds at most one second of the
 * rate. Bytes are recorded after they were sent, so one fetch may overdraw it; throttled replicas then
 * wait until the debt is paid back, which keeps the average at the rate. The rate is read at every
 * check, so a changed dynamic config applies at once.
 *
 * <p>Thread-safe.
 */
public final class ReplicationQuota {

    /** Kafka's default: no limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final LongSupplier bytesPerSecond;
    private final LongSupplier clockNanos;
    private double tokens;
    private long lastRefillNanos;

    public ReplicationQuota(LongSupplier bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    ReplicationQuota(LongSupplier bytesPerSecond, LongSupplier clockNanos) {
        this.bytesPerSecond = bytesPerSecond;
        this.clockNanos = clockNanos;
        this.lastRefillNanos = clockNanos.getAsLong();
    }

    /** Whether throttled replicas must wait now: more was sent than the rate allows. */
    public synchronized boolean isExceeded() {
        long rate = bytesPerSecond.getAsLong();
        if (rate == UNLIMITED) {
            return false;
        }
        refill(rate);
        return tokens < 0;
    }

    /** Counts bytes of throttled replicas that were sent. */
    public synchronized void record(long bytes) {
        long rate = bytesPerSecond.getAsLong();
        if (rate == UNLIMITED || bytes <= 0) {
            return;
        }
        refill(rate);
        tokens -= bytes;
    }

    private void refill(long rate) {
        long now = clockNanos.getAsLong();
        tokens = Math.min(rate, tokens + rate * ((now - lastRefillNanos) / 1e9));
        lastRefillNanos = now;
    }
}
