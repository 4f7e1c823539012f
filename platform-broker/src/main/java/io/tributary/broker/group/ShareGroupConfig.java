package io.tributary.broker.group;

/**
 * The settings of KIP-932 share groups, named after Kafka's broker configs.
 *
 * @param sessionTimeoutMs    {@code group.share.session.timeout.ms}: a member that does not heartbeat this long is removed
 * @param heartbeatIntervalMs {@code group.share.heartbeat.interval.ms}: how often members are told to heartbeat
 * @param maxSize             {@code group.share.max.size}: the most members one share group takes
 */
public record ShareGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize) {

    public ShareGroupConfig {
        if (sessionTimeoutMs <= 0 || heartbeatIntervalMs <= 0 || maxSize <= 0) {
            throw new IllegalArgumentException("Share group settings must be positive: session timeout " + sessionTimeoutMs
                    + " ms, heartbeat interval " + heartbeatIntervalMs + " ms, max size " + maxSize);
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException("group.share.heartbeat.interval.ms (" + heartbeatIntervalMs
                    + ") must be less than group.share.session.timeout.ms (" + sessionTimeoutMs + ")");
        }
    }

    public static final ShareGroupConfig DEFAULT = new ShareGroupConfig(45_000, 5_000, 200);
}
