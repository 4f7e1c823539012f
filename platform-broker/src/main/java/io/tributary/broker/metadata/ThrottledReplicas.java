package io.tributary.broker.metadata;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * A topic's {@code leader.replication.throttled.replicas} or {@code follower.replication.throttled.replicas}:
 * Kafka's list of {@code partition:broker} pairs, or {@code *} for every replica, as
 * {@code kafka-reassign-partitions --throttle} sets them.
 */
public final class ThrottledReplicas {

    public static final String LEADER_CONFIG = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_CONFIG = "follower.replication.throttled.replicas";

    private static final ThrottledReplicas NONE = new ThrottledReplicas(false, Set.of());

    private final boolean all;
    private final Set<Long> pairs;

    private ThrottledReplicas(boolean all, Set<Long> pairs) {
        this.all = all;
        this.pairs = pairs;
    }

    /** @throws MetadataException INVALID_CONFIG with Kafka's message for a malformed list */
    public static ThrottledReplicas parse(String name, String value) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty()) {
            return NONE;
        }
        if (trimmed.equals("*")) {
            return new ThrottledReplicas(true, Set.of());
        }
        Set<Long> pairs = new HashSet<>();
        for (String entry : trimmed.split("\\s*,\\s*")) {
            String[] parts = entry.split(":");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException(entry);
                }
                pairs.add(key(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())));
            } catch (NumberFormatException e) {
                throw new MetadataException(Errors.INVALID_CONFIG, "Invalid value " + value + " for configuration "
                        + name + ": " + name + " must be the literal '*' or a list of replicas in the following format: "
                        + "[partitionId]:[brokerId],[partitionId]:[brokerId],...");
            }
        }
        return new ThrottledReplicas(false, Set.copyOf(pairs));
    }

    /** Whether the replica of {@code partition} on {@code broker} is throttled. */
    public boolean includes(int partition, int broker) {
        return all || pairs.contains(key(partition, broker));
    }

    private static long key(int partition, int broker) {
        return ((long) partition << 32) | (broker & 0xffffffffL);
    }
}
