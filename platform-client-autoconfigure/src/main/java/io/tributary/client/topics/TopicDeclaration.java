package io.tributary.client.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic a service needs, as it needs it. Declare one as a bean, or under {@code tributary.topics.<name>}.
 *
 * @param name              the topic
 * @param partitions        partitions when created; an existing topic must have at least this many
 * @param replicationFactor replicas per partition, or -1 for the broker's default
 * @param retention         how long records are kept, or null for the broker's default
 * @param cleanupPolicy     {@code delete} or {@code compact}
 * @param keyRequired       whether listeners refuse records without a key on this topic
 * @param deadLetter        whether the topic's dead-letter topic is declared with it
 */
public record TopicDeclaration(String name, int partitions, short replicationFactor, Duration retention,
        String cleanupPolicy, boolean keyRequired, boolean deadLetter) {

    public TopicDeclaration {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException("Topic '" + name + "' needs at least one partition, not " + partitions);
        }
        if (!TopicConfig.CLEANUP_POLICY_DELETE.equals(cleanupPolicy) && !TopicConfig.CLEANUP_POLICY_COMPACT.equals(cleanupPolicy)) {
            throw new IllegalArgumentException("Topic '" + name + "': cleanup policy must be delete or compact, not "
                    + cleanupPolicy);
        }
    }

    /** A topic of one partition, the broker's replication and retention, deleted by time, keys optional. */
    public static TopicDeclaration named(String name) {
        return new TopicDeclaration(name, 1, (short) -1, null, TopicConfig.CLEANUP_POLICY_DELETE, false, true);
    }

    public TopicDeclaration withPartitions(int partitions) {
        return new TopicDeclaration(name, partitions, replicationFactor, retention, cleanupPolicy, keyRequired, deadLetter);
    }

    public TopicDeclaration withReplicationFactor(int replicationFactor) {
        return new TopicDeclaration(name, partitions, (short) replicationFactor, retention, cleanupPolicy, keyRequired,
                deadLetter);
    }

    public TopicDeclaration withRetention(Duration retention) {
        return new TopicDeclaration(name, partitions, replicationFactor, retention, cleanupPolicy, keyRequired, deadLetter);
    }

    public TopicDeclaration compacted() {
        return new TopicDeclaration(name, partitions, replicationFactor, retention, TopicConfig.CLEANUP_POLICY_COMPACT,
                true, deadLetter);
    }

    public TopicDeclaration requiringKeys() {
        return new TopicDeclaration(name, partitions, replicationFactor, retention, cleanupPolicy, true, deadLetter);
    }

    public TopicDeclaration withoutDeadLetter() {
        return new TopicDeclaration(name, partitions, replicationFactor, retention, cleanupPolicy, keyRequired, false);
    }

    /** The topic configs this declaration sets explicitly; the rest stay the broker's defaults. */
    public Map<String, String> configs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
        if (retention != null) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
        }
        return configs;
    }

    /** The dead-letter topic's declaration: as many partitions, kept by time whatever the source's policy. */
    public TopicDeclaration deadLetterTopic(String suffix) {
        return new TopicDeclaration(name + suffix, partitions, replicationFactor, retention,
                TopicConfig.CLEANUP_POLICY_DELETE, false, false);
    }
}
