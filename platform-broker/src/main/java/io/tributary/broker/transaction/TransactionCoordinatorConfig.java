package io.tributary.broker.transaction;

/**
 * The transaction coordinator's settings, named after Kafka's broker configs.
 *
 * @param topicPartitions           {@code transaction.state.log.num.partitions}: partitions of {@code __transaction_state}
 * @param topicReplicationFactor    {@code transaction.state.log.replication.factor}, in a cluster; capped by the
 *                                  brokers live when the topic is created
 * @param topicSegmentBytes         {@code transaction.state.log.segment.bytes}
 * @param maxTimeoutMs              {@code transaction.max.timeout.ms}: the longest {@code transaction.timeout.ms} allowed
 * @param idExpirationMs            {@code transactional.id.expiration.ms}: an idle id is forgotten after this
 * @param abortTimedOutIntervalMs   {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
 * @param removeExpiredIntervalMs   {@code transaction.remove.expired.transaction.cleanup.interval.ms}
 * @param writeTimeoutMs            how long a write to {@code __transaction_state} waits for the in-sync replicas
 */
public record TransactionCoordinatorConfig(int topicPartitions, int topicReplicationFactor, int topicSegmentBytes,
        int maxTimeoutMs, long idExpirationMs, long abortTimedOutIntervalMs, long removeExpiredIntervalMs,
        long writeTimeoutMs) {

    public static final TransactionCoordinatorConfig DEFAULT = new TransactionCoordinatorConfig(50, 3, 100 * 1024 * 1024,
            900_000, 7L * 24 * 60 * 60 * 1000, 10_000, 3_600_000, 5_000);
}
