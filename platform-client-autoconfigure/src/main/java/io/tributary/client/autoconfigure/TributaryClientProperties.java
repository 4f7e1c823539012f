package io.tributary.client.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tributary.*} settings that are Tributary's own: failure handling (retries, dead letters), the topics
 * a service declares, the admin timeouts and consumer lag. The Kafka clients themselves are configured with
 * Spring Boot's {@code spring.kafka.*}, whose defaults the platform sets ({@link TributaryKafkaDefaults}); the
 * {@code tributary.producer.*}, {@code tributary.consumer.*} and {@code tributary.client-id} keys of earlier
 * versions are deprecated but still applied.
 */
@ConfigurationProperties(prefix = "tributary")
public class TributaryClientProperties {

    /**
     * Comma-separated host:port pairs of brokers used for the first connection. When set, it becomes Spring Boot's
     * KafkaConnectionDetails and so wins over spring.kafka.bootstrap-servers; unset, Boot's setting applies
     * (default localhost:9092).
     */
    private String bootstrapServers;

    private final Retry retry = new Retry();

    private final DeadLetter deadLetter = new DeadLetter();

    private final Admin admin = new Admin();

    private final Metrics metrics = new Metrics();

    private final Security security = new Security();

    /** Topics this service declares, by name: created at start-up, or verified when they exist. */
    private final Map<String, Topic> topics = new LinkedHashMap<>();

    /** Share groups (queues) this service configures, by group id: their group configs are set at start-up. */
    private final Map<String, ShareGroup> shareGroups = new LinkedHashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public Retry getRetry() {
        return retry;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    public Admin getAdmin() {
        return admin;
    }

    public Metrics getMetrics() {
        return metrics;
    }

    public Map<String, Topic> getTopics() {
        return topics;
    }

    public Map<String, ShareGroup> getShareGroups() {
        return shareGroups;
    }

    public Security getSecurity() {
        return security;
    }

    /** Retries of a failed listener call, in place, before the record goes to its dead-letter topic. */
    public static class Retry {

        /** Deliveries of a record in all, the first included; 1 means no retry. */
        private int maxAttempts = 3;

        /** Back-off before the first retry. */
        private Duration initialInterval = Duration.ofMillis(500);

        /** Factor by which each back-off grows. */
        private double multiplier = 2.0;

        /** Longest back-off between two retries. */
        private Duration maxInterval = Duration.ofSeconds(10);

        public int getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getInitialInterval() {
            return initialInterval;
        }

        public void setInitialInterval(Duration initialInterval) {
            this.initialInterval = initialInterval;
        }

        public double getMultiplier() {
            return multiplier;
        }

        public void setMultiplier(double multiplier) {
            this.multiplier = multiplier;
        }

        public Duration getMaxInterval() {
            return maxInterval;
        }

        public void setMaxInterval(Duration maxInterval) {
            this.maxInterval = maxInterval;
        }
    }

    public static class DeadLetter {

        /** Whether records that fail every attempt go to a dead-letter topic; if not, they are logged and skipped. */
        private boolean enabled = true;

        /** Appended to a topic's name to name its dead-letter topic. */
        private String suffix = ".DLT";

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getSuffix() {
            return suffix;
        }

        public void setSuffix(String suffix) {
            this.suffix = suffix;
        }
    }

    public static class Admin {

        /** How long start-up waits for the cluster to create or describe declared topics. */
        private Duration timeout = Duration.ofSeconds(30);

        /** Whether start-up fails when an existing topic differs from its declaration, or only logs it. */
        private boolean failOnMismatch = true;

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public boolean isFailOnMismatch() {
            return failOnMismatch;
        }

        public void setFailOnMismatch(boolean failOnMismatch) {
            this.failOnMismatch = failOnMismatch;
        }
    }

    public static class Metrics {

        /** How often the consumer lag gauges ask the cluster for committed and end offsets. */
        private Duration lagInterval = Duration.ofSeconds(10);

        public Duration getLagInterval() {
            return lagInterval;
        }

        public void setLagInterval(Duration lagInterval) {
            this.lagInterval = lagInterval;
        }
    }

    /**
     * How every client of the service authenticates to the cluster and encrypts its connections. Applied as the
     * values of Spring Boot's spring.kafka.security.protocol, spring.kafka.ssl.bundle and
     * spring.kafka.properties.sasl.* ({@link TributarySecuritySettings}), so that those, when set, win.
     */
    public static class Security {

        /** Security protocol of the connections to the brokers; unset leaves the client's (PLAINTEXT). */
        private Protocol protocol;

        private final Sasl sasl = new Sasl();

        private final Ssl ssl = new Ssl();

        public Protocol getProtocol() {
            return protocol;
        }

        public void setProtocol(Protocol protocol) {
            this.protocol = protocol;
        }

        public Sasl getSasl() {
            return sasl;
        }

        public Ssl getSsl() {
            return ssl;
        }

        /** Kafka's security protocols. */
        public enum Protocol {

            /** No encryption, no authentication. */
            PLAINTEXT,

            /** TLS, the client authenticated by its certificate where the bundle has a key. */
            SSL,

            /** SASL authentication without encryption. */
            SASL_PLAINTEXT,

            /** SASL authentication over TLS. */
            SASL_SSL;

            boolean isSasl() {
                return this == SASL_PLAINTEXT || this == SASL_SSL;
            }
        }

        /** The SASL user of every client; applies with the SASL_PLAINTEXT and SASL_SSL protocols. */
        public static class Sasl {

            /** SASL mechanism: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (checked against the same SCRAM credentials). */
            private String mechanism = "SCRAM-SHA-512";

            /**
             * User the clients authenticate as; unset adds no SASL login, so that spring.kafka.properties.sasl.jaas.config
             * or a JAAS file apply.
             */
            private String username;

            /** Password of the user; required with a username. */
            private String password;

            public String getMechanism() {
                return mechanism;
            }

            public void setMechanism(String mechanism) {
                this.mechanism = mechanism;
            }

            public String getUsername() {
                return username;
            }

            public void setUsername(String username) {
                this.username = username;
            }

            public String getPassword() {
                return password;
            }

            public void setPassword(String password) {
                this.password = password;
            }
        }

        /** TLS of every client; applies with the SSL and SASL_SSL protocols. */
        public static class Ssl {

            /**
             * Name of the Spring Boot SSL bundle (spring.ssl.bundle.jks.* or pem.*) whose trust material (and key, for
             * mutual TLS) the clients use; unset leaves the JVM's default trust store.
             */
            private String bundle;

            public String getBundle() {
                return bundle;
            }

            public void setBundle(String bundle) {
                this.bundle = bundle;
            }
        }
    }

    /** A topic the service declares. */
    public static class Topic {

        /** Partitions of a topic created at start-up; an existing topic must have at least this many. */
        private int partitions = 1;

        /** Replicas per partition; -1 takes the broker's default. */
        private short replicationFactor = -1;

        /** How long records are kept; unset takes the broker's default. */
        private Duration retention;

        /** "delete" drops old segments, "compact" keeps the latest record per key. */
        private String cleanupPolicy = "delete";

        /** Records without a key are refused by listeners (sent to the dead-letter topic) on this topic. */
        private boolean keyRequired;

        /** Declare the topic's dead-letter topic too. */
        private boolean deadLetter = true;

        public int getPartitions() {
            return partitions;
        }

        public void setPartitions(int partitions) {
            this.partitions = partitions;
        }

        public short getReplicationFactor() {
            return replicationFactor;
        }

        public void setReplicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public String getCleanupPolicy() {
            return cleanupPolicy;
        }

        public void setCleanupPolicy(String cleanupPolicy) {
            this.cleanupPolicy = cleanupPolicy;
        }

        public boolean isKeyRequired() {
            return keyRequired;
        }

        public void setKeyRequired(boolean keyRequired) {
            this.keyRequired = keyRequired;
        }

        public boolean isDeadLetter() {
            return deadLetter;
        }

        public void setDeadLetter(boolean deadLetter) {
            this.deadLetter = deadLetter;
        }
    }

    /** A share group the service configures; what is left unset keeps the cluster's value. */
    public static class ShareGroup {

        /**
         * Where the group starts reading a partition it has no state for yet: "earliest", "latest" (Kafka's default)
         * or "by_duration:" and an ISO-8601 duration (records no older than that). Kafka's share.auto.offset.reset.
         */
        private String autoOffsetReset;

        /** How long a delivered record stays locked to its consumer before it goes to another. Kafka's share.record.lock.duration.ms. */
        private Duration recordLockDuration;

        /** Other group configs, by Kafka's name (e.g. share.isolation.level). */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public String getAutoOffsetReset() {
            return autoOffsetReset;
        }

        public void setAutoOffsetReset(String autoOffsetReset) {
            this.autoOffsetReset = autoOffsetReset;
        }

        public Duration getRecordLockDuration() {
            return recordLockDuration;
        }

        public void setRecordLockDuration(Duration recordLockDuration) {
            this.recordLockDuration = recordLockDuration;
        }

        public Map<String, String> getProperties() {
            return properties;
        }
    }
}
