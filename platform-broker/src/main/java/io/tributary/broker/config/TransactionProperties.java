package io.tributary.broker.config;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** Transactions, named after Kafka's {@code transaction.*} and {@code transactional.id.*} configs. */
public class TransactionProperties {

    /** Partitions of the internal {@code __transaction_state} topic, fixed when it is first created. */
    private int stateLogNumPartitions = 50;

    /**
     * Replicas of each {@code __transaction_state} partition in a cluster, at most the brokers live when
     * the topic is created (Kafka's {@code transaction.state.log.replication.factor}).
     */
    private int stateLogReplicationFactor = 3;

    /** Segment size of {@code __transaction_state}. */
    private DataSize stateLogSegmentBytes = DataSize.ofMegabytes(100);

    /** The longest {@code transaction.timeout.ms} a producer may ask for ({@code transaction.max.timeout.ms}). */
    private Duration maxTimeout = Duration.ofMinutes(15);

    /** A transactional id unused this long is forgotten ({@code transactional.id.expiration.ms}). */
    private Duration idExpiration = Duration.ofDays(7);

    /** How often transactions older than their timeout are looked for and aborted. */
    private Duration abortTimedOutInterval = Duration.ofSeconds(10);

    /** How often expired transactional ids are looked for. */
    private Duration removeExpiredInterval = Duration.ofHours(1);

    /** How long a write to {@code __transaction_state} waits for the in-sync replicas. */
    private Duration writeTimeout = Duration.ofSeconds(5);

    /**
     * Whether a transaction's first batch in a partition is appended only once its coordinator confirms
     * the partition is in the transaction (KIP-890; Kafka's {@code transaction.partition.verification.enable}).
     */
    private boolean partitionVerificationEnable = true;

    public boolean isPartitionVerificationEnable() { return partitionVerificationEnable; }
    public void setPartitionVerificationEnable(boolean value) { this.partitionVerificationEnable = value; }

    public io.tributary.broker.transaction.TransactionCoordinatorConfig toConfig() {
        return new io.tributary.broker.transaction.TransactionCoordinatorConfig(stateLogNumPartitions,
                stateLogReplicationFactor, Math.toIntExact(stateLogSegmentBytes.toBytes()),
                Math.toIntExact(maxTimeout.toMillis()), idExpiration.toMillis(), abortTimedOutInterval.toMillis(),
                removeExpiredInterval.toMillis(), writeTimeout.toMillis());
    }

    public int getStateLogNumPartitions() { return stateLogNumPartitions; }
    public void setStateLogNumPartitions(int value) { this.stateLogNumPartitions = value; }
    public int getStateLogReplicationFactor() { return stateLogReplicationFactor; }
    public void setStateLogReplicationFactor(int value) { this.stateLogReplicationFactor = value; }
    public DataSize getStateLogSegmentBytes() { return stateLogSegmentBytes; }
    public void setStateLogSegmentBytes(DataSize value) { this.stateLogSegmentBytes = value; }
    public Duration getMaxTimeout() { return maxTimeout; }
    public void setMaxTimeout(Duration value) { this.maxTimeout = value; }
    public Duration getIdExpiration() { return idExpiration; }
    public void setIdExpiration(Duration value) { this.idExpiration = value; }
    public Duration getAbortTimedOutInterval() { return abortTimedOutInterval; }
    public void setAbortTimedOutInterval(Duration value) { this.abortTimedOutInterval = value; }
    public Duration getRemoveExpiredInterval() { return removeExpiredInterval; }
    public void setRemoveExpiredInterval(Duration value) { this.removeExpiredInterval = value; }
    public Duration getWriteTimeout() { return writeTimeout; }
    public void setWriteTimeout(Duration value) { this.writeTimeout = value; }
}
