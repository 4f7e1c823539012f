package io.tributary.broker.metadata;

import org.apache.kafka.common.IsolationLevel;

/**
 * One share group's settings, its group configs over the broker's defaults (KIP-932). Immutable.
 *
 * @param autoOffsetReset      {@code share.auto.offset.reset}: where a share-partition the group has not consumed starts
 * @param recordLockDurationMs {@code share.record.lock.duration.ms}: how long a delivered record stays acquired by its consumer
 * @param isolationLevel       {@code share.isolation.level}: whether records of open or aborted transactions are delivered
 * @param sessionTimeoutMs     {@code share.session.timeout.ms}: a member that does not heartbeat this long is removed
 * @param heartbeatIntervalMs  {@code share.heartbeat.interval.ms}: how often members heartbeat
 */
public record ShareGroupSettings(ShareAutoOffsetReset autoOffsetReset, int recordLockDurationMs,
        IsolationLevel isolationLevel, int sessionTimeoutMs, int heartbeatIntervalMs) {
}
