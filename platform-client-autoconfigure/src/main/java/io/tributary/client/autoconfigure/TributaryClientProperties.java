package io.tributary.client.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tributary.*} settings of a service: where the cluster is, and the platform's defaults for
 * its producer, its consumer groups, failure handling and the topics it declares. Anything else the
 * Kafka clients accept goes into {@code tributary.producer.properties.*} or
 * {@code tributary.consumer.properties.*}.
 */
@ConfigurationProperties(prefix = "tributary")
public class TributaryClientProperties {

    /** Comma-separated host:port pairs of brokers used for the first connection. */
    private String bootstrapServers = "localhost:9092";

    /** Client id the brokers see in their logs and quotas; defaults to spring.application.name. */
    private String clientId;

    private final Producer producer = new Producer();

    private final Consumer consumer = new Consumer();

    private final Retry retry = new Retry();

    private final DeadLetter deadLetter = new DeadLetter();

    private final Admin admin = new Admin();

    private final Metrics metrics = new Metrics();

    /** Topics this service declares, by name: created at start-up, or verified when they exist. */
    private final Map<String, Topic> topics = new LinkedHashMap<>();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Producer getProducer() {
        return producer;
    }

    public Consumer getConsumer() {
        return consumer;
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

    public static class Producer {

        /** Acknowledgements the producer waits for: "all" waits for every in-sync replica. */
        private String acks = "all";

        /** Idempotent sends: a retried batch is written once, in order. */
        private boolean idempotence = true;

        /** Compression of record batches: none, gzip, snappy, lz4 or zstd. */
        private String compressionType = "lz4";

        /** How long the producer waits to fill a batch before sending it. */
        private Duration linger = Duration.ofMillis(5);

        /** How long a send may take, retries included, before it fails. */
        private Duration deliveryTimeout = Duration.ofMinutes(2);

        /** Further Kafka producer settings, passed as they are. */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public String getAcks() {
            return acks;
        }

        public void setAcks(String acks) {
            this.acks = acks;
        }

        public boolean isIdempotence() {
            return idempotence;
        }

        public void setIdempotence(boolean idempotence) {
            this.idempotence = idempotence;
        }

        public String getCompressionType() {
            return compressionType;
        }

        public void setCompressionType(String compressionType) {
            this.compressionType = compressionType;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public Duration getDeliveryTimeout() {
            return deliveryTimeout;
        }

        public void setDeliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = deliveryTimeout;
        }

        public Map<String, String> getProperties() {
            return properties;
        }
    }

    public static class Consumer {

        /** Consumer group of the service's listeners; defaults to spring.application.name. */
        private String groupId;

        /** Where a new group starts: "earliest" reads a topic from its beginning, "latest" only new events. */
        private String autoOffsetReset = "earliest";

        /** Consumer threads per listener; more than the topic's partitions stay idle. */
        private int concurrency = 1;

        /** Most records one poll hands to the listener. */
        private int maxPollRecords = 500;

        /** Further Kafka consumer settings, passed as they are. */
        private final Map<String, String> properties = new LinkedHashMap<>();

        public String getGroupId() {
            return groupId;
        }

        public void setGroupId(String groupId) {
            this.groupId = groupId;
        }

        public String getAutoOffsetReset() {
            return autoOffsetReset;
        }

        public void setAutoOffsetReset(String autoOffsetReset) {
            this.autoOffsetReset = autoOffsetReset;
        }

        public int getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        public int getMaxPollRecords() {
            return maxPollRecords;
        }

        public void setMaxPollRecords(int maxPollRecords) {
            this.maxPollRecords = maxPollRecords;
        }

        public Map<String, String> getProperties() {
            return properties;
        }
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
}
