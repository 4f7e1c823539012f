package io.tributary.broker.metadata;

/**
 * One consumer group's KIP-848 settings, its group configs over the broker's defaults. Immutable.
 *
 * @param sessionTimeoutMs    {@code consumer.session.timeout.ms}: a member that does not heartbeat this long is removed
 * @param heartbeatIntervalMs {@code consumer.heartbeat.interval.ms}: how often members heartbeat
 */
public record ConsumerGroupSettings(int sessionTimeoutMs, int heartbeatIntervalMs) {
}
