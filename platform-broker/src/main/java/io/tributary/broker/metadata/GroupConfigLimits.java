package io.tributary.broker.metadata;

/**
 * The broker-level defaults of the group configs and the bounds a group's own value must keep, as Kafka's
 * {@code group.consumer.*}, {@code group.share.*} broker configs give them (for instance
 * {@code group.share.record.lock.duration.ms} between {@code group.share.min.record.lock.duration.ms} and
 * {@code group.share.max.record.lock.duration.ms}). Immutable.
 */
public record GroupConfigLimits(Bounded consumerSessionTimeoutMs, Bounded consumerHeartbeatIntervalMs,
        Bounded shareSessionTimeoutMs, Bounded shareHeartbeatIntervalMs, Bounded shareRecordLockDurationMs) {

    /**
     * A broker default and the bounds a group's value must keep.
     *
     * @param brokerConfig the broker config of the default, whose {@code min}/{@code max} variants name the bounds
     */
    public record Bounded(String brokerConfig, int defaultValue, int min, int max) {

        public Bounded {
            if (min > defaultValue || defaultValue > max) {
                throw new IllegalArgumentException(brokerConfig + " " + defaultValue + " is not between " + min + " and " + max);
            }
        }

        /** This default, the bounds widened where needed to take it in. */
        Bounded withDefault(int value) {
            return new Bounded(brokerConfig, value, Math.min(min, value), Math.max(max, value));
        }

        /** Kafka's name of the lower bound: {@code group.share.record.lock.duration.ms} → {@code group.share.min.record.lock.duration.ms}. */
        String minConfig() {
            return bound("min");
        }

        String maxConfig() {
            return bound("max");
        }

        private String bound(String which) {
            int kind = brokerConfig.indexOf('.', "group.".length());
            return brokerConfig.substring(0, kind + 1) + which + brokerConfig.substring(kind);
        }
    }

    /** Kafka 4.1's broker defaults. */
    public static final GroupConfigLimits KAFKA = new GroupConfigLimits(
            new Bounded("group.consumer.session.timeout.ms", 45_000, 45_000, 60_000),
            new Bounded("group.consumer.heartbeat.interval.ms", 5_000, 5_000, 15_000),
            new Bounded("group.share.session.timeout.ms", 45_000, 45_000, 60_000),
            new Bounded("group.share.heartbeat.interval.ms", 5_000, 5_000, 15_000),
            new Bounded("group.share.record.lock.duration.ms", 30_000, 15_000, 60_000));

    /** These limits with the share record lock's bounds set by the broker (a default outside them widens them). */
    public GroupConfigLimits withShareRecordLockBounds(int min, int max) {
        int lock = shareRecordLockDurationMs.defaultValue();
        return new GroupConfigLimits(consumerSessionTimeoutMs, consumerHeartbeatIntervalMs, shareSessionTimeoutMs,
                shareHeartbeatIntervalMs, new Bounded(shareRecordLockDurationMs.brokerConfig(), lock, Math.min(min, lock),
                        Math.max(max, lock)));
    }

    /**
     * Kafka's bounds with this broker's defaults; a default outside Kafka's bounds widens them, so that a
     * group may always be set back to what it would have without a config of its own.
     */
    public GroupConfigLimits withDefaults(int consumerSessionTimeout, int consumerHeartbeatInterval, int shareSessionTimeout,
            int shareHeartbeatInterval, int shareRecordLockDuration) {
        return new GroupConfigLimits(consumerSessionTimeoutMs.withDefault(consumerSessionTimeout),
                consumerHeartbeatIntervalMs.withDefault(consumerHeartbeatInterval),
                shareSessionTimeoutMs.withDefault(shareSessionTimeout),
                shareHeartbeatIntervalMs.withDefault(shareHeartbeatInterval),
                shareRecordLockDurationMs.withDefault(shareRecordLockDuration));
    }
}
