package io.tributary.broker.partition;

import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Replication throttling as Kafka does it, for moving replicas without starving clients: the
 * partitions listed in a topic's {@code leader.replication.throttled.replicas} for this broker are
 * served to followers at most at {@code leader.replication.throttled.rate}, and those in
 * {@code follower.replication.throttled.replicas} for this broker are fetched at most at
 * {@code follower.replication.throttled.rate}. Only replicas outside the ISR are throttled — a
 * catching-up or moving replica — so acks=all produces never wait for a throttle.
 *
 * <p>Thread-safe: the throttled partitions are replaced whole when the metadata changes.
 */
public final class ReplicationThrottles {

    private final ReplicationQuota leaderQuota;
    private final ReplicationQuota followerQuota;
    private volatile Set<TopicPartition> leaderThrottled = Set.of();
    private volatile Set<TopicPartition> followerThrottled = Set.of();

    /** No limits: nothing is throttled whatever the topics list. */
    public static ReplicationThrottles unlimited() {
        return new ReplicationThrottles(() -> ReplicationQuota.UNLIMITED, () -> ReplicationQuota.UNLIMITED);
    }

    /** @param leaderRate the leader side's rate in bytes per second, read at every check */
    public ReplicationThrottles(LongSupplier leaderRate, LongSupplier followerRate) {
        this(new ReplicationQuota(leaderRate), new ReplicationQuota(followerRate));
    }

    ReplicationThrottles(ReplicationQuota leaderQuota, ReplicationQuota followerQuota) {
        this.leaderQuota = leaderQuota;
        this.followerQuota = followerQuota;
    }

    /** The partitions this broker throttles as a leader and as a follower, from the topics' configs. */
    public void throttle(Set<TopicPartition> asLeader, Set<TopicPartition> asFollower) {
        this.leaderThrottled = Set.copyOf(asLeader);
        this.followerThrottled = Set.copyOf(asFollower);
    }

    Set<TopicPartition> leaderThrottled() {
        return leaderThrottled;
    }

    Set<TopicPartition> followerThrottled() {
        return followerThrottled;
    }

    /** Whether this leader serves {@code followerId}'s fetch of {@code partition} under the leader quota. */
    boolean leaderThrottles(Partition partition, int followerId) {
        return leaderThrottled.contains(partition.topicPartition()) && !partition.inSyncReplicas().contains(followerId);
    }

    boolean leaderQuotaExceeded() {
        return leaderQuota.isExceeded();
    }

    void recordLeader(long bytes) {
        leaderQuota.record(bytes);
    }

    /** Whether this follower's fetches of {@code partition} count against the follower quota. */
    public boolean followerThrottles(Partition partition, int localId) {
        return followerThrottled.contains(partition.topicPartition()) && !partition.inSyncReplicas().contains(localId);
    }

    public boolean followerQuotaExceeded() {
        return followerQuota.isExceeded();
    }

    public void recordFollower(long bytes) {
        followerQuota.record(bytes);
    }
}
