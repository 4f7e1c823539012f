package io.tributary.broker.group;

import java.util.List;

/**
 * The settings of KIP-848 consumer groups, named after Kafka's broker configs.
 *
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms}: a member that does not heartbeat this long is removed
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: how often members are told to heartbeat
 * @param assignors           {@code group.consumer.assignors}: the server-side assignors a member may choose, the
 *                            first being the default
 * @param migrationPolicy     {@code group.consumer.migration.policy}: whether a live group may move between the
 *                            classic and the consumer protocol, and which way
 * @param maxSize             {@code group.consumer.max.size}: the most members one consumer group takes; a classic
 *                            group larger than this is not upgraded
 */
public record ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, List<String> assignors,
        ConsumerGroupMigrationPolicy migrationPolicy, int maxSize) {

    public ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, List<String> assignors) {
        this(sessionTimeoutMs, heartbeatIntervalMs, assignors, ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
    }

    public ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, List<String> assignors,
            ConsumerGroupMigrationPolicy migrationPolicy) {
        this(sessionTimeoutMs, heartbeatIntervalMs, assignors, migrationPolicy, Integer.MAX_VALUE);
    }

    public ConsumerGroupConfig {
        assignors = List.copyOf(assignors);
        if (migrationPolicy == null) {
            migrationPolicy = ConsumerGroupMigrationPolicy.BIDIRECTIONAL;
        }
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("group.consumer.assignors must name at least one assignor");
        }
        if (maxSize <= 0) {
            throw new IllegalArgumentException("group.consumer.max.size must be positive: " + maxSize);
        }
    }

    public static final ConsumerGroupConfig DEFAULT = new ConsumerGroupConfig(45_000, 5_000, List.of("uniform", "range"));
}
