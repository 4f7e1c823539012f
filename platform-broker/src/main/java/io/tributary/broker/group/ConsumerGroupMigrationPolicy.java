package io.tributary.broker.group;

/**
 * Which way a group with members may change protocol while it runs (Kafka's
 * {@code group.consumer.migration.policy}): an upgrade turns a classic group into a consumer group when
 * a consumer-protocol member joins it; a downgrade turns a consumer group back into a classic group when
 * its last consumer-protocol member leaves and only classic members remain. A group without members
 * changes kind whatever the policy.
 */
public enum ConsumerGroupMigrationPolicy {
    BIDIRECTIONAL, UPGRADE, DOWNGRADE, DISABLED;

    boolean upgradeEnabled() {
        return this == BIDIRECTIONAL || this == UPGRADE;
    }

    boolean downgradeEnabled() {
        return this == BIDIRECTIONAL || this == DOWNGRADE;
    }
}
