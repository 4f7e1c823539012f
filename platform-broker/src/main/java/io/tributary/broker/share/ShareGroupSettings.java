package io.tributary.broker.share;

import java.time.Duration;
import org.apache.kafka.common.IsolationLevel;

/**
 * What a share group's configuration says about reading its partitions (Kafka's group configs
 * {@code share.auto.offset.reset}, {@code share.record.lock.duration.ms}, {@code share.isolation.level}).
 *
 * @param startingPoint where a share-partition without a stored state starts
 */
public record ShareGroupSettings(StartingPoint startingPoint, int recordLockDurationMs, IsolationLevel isolationLevel) {

    /** Where a share-partition starts when the group first reads it. */
    public sealed interface StartingPoint permits Latest, Earliest, ByDuration {
    }

    /** The next record written (Kafka's default). */
    public record Latest() implements StartingPoint {
    }

    /** The oldest record the log holds. */
    public record Earliest() implements StartingPoint {
    }

    /** The first record written at most {@code duration} ago. */
    public record ByDuration(Duration duration) implements StartingPoint {
    }

    /** Kafka's defaults: latest, 30 s locks, read_uncommitted. */
    public static final ShareGroupSettings DEFAULTS = new ShareGroupSettings(new Latest(), 30_000,
            IsolationLevel.READ_UNCOMMITTED);
}
