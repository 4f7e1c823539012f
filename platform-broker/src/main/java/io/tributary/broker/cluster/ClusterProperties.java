package io.tributary.broker.cluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The cluster this broker belongs to, KRaft-style: the voters of the metadata quorum and this
 * broker's Raft endpoint. Without voters the broker is a single node, as by default. A node among
 * the voters starts as one of them the first time; any other node joins as a broker only, receiving
 * the metadata log without voting. Later changes of the voters (AddRaftVoter, RemoveRaftVoter) live
 * in the quorum's own configuration, and {@code voters} then only says where to find the quorum.
 */
@ConfigurationProperties(prefix = "tributary.cluster")
public class ClusterProperties {

    /**
     * Voters of the metadata quorum, comma-separated {@code id@host:port} Raft endpoints; empty for a
     * single node. A node with an empty Raft directory whose id is listed starts as a voter; any node
     * reaches the quorum through them until it knows the quorum's current configuration.
     */
    private String voters = "";

    /** Port of this broker's Raft endpoint; 0 takes the port of this node's entry in {@code voters}. */
    private int raftPort = 0;

    /**
     * {@code host:port} at which the other nodes reach this node's Raft endpoint, for a node that is not
     * among {@code voters}; unset, the broker's advertised host and {@code raft-port}.
     */
    private String advertisedRaftAddress;

    /**
     * The cluster a node with an empty Raft directory belongs to, as Kafka writes cluster ids (what
     * DescribeCluster and {@code kafka-metadata-quorum describe --status} show). Needed only by nodes
     * started after the voters changed: unset, the id is derived from {@code voters}. Once a node has
     * started, its cluster id is kept in its Raft directory.
     */
    private String clusterId;

    /** Directory of the Raft log and snapshots; defaults to {@code <data-dir>/.raft}. */
    private Path raftDir;

    /** A broker whose heartbeats stop for this long is fenced and its leaderships move. */
    private Duration brokerSessionTimeout = Duration.ofSeconds(9);

    /** How often a broker heartbeats to the controller. */
    private Duration heartbeatInterval = Duration.ofSeconds(2);

    /** How long a metadata change (CreateTopics, ...) may wait for the quorum. */
    private Duration requestTimeout = Duration.ofSeconds(15);

    /** How long a stopping broker waits for the quorum to move its leaderships away (controlled shutdown). */
    private Duration controlledShutdownTimeout = Duration.ofSeconds(5);

    /** How long a starting broker waits for a quorum of voters to register it. */
    private Duration startupTimeout = Duration.ofMinutes(5);

    /** Raft log entries after which the metadata is snapshotted and the log before it purged. */
    private long snapshotThreshold = 10_000;

    /**
     * Whether the controller gives leaderships back to preferred replicas that are live and in sync,
     * every {@code leader-imbalance-check-interval} (Kafka's {@code auto.leader.rebalance.enable}).
     */
    private boolean autoLeaderRebalanceEnable = true;

    /** How often the controller checks for leaderships to give back (Kafka's {@code leader.imbalance.check.interval.seconds}). */
    private Duration leaderImbalanceCheckInterval = Duration.ofMinutes(5);

    /**
     * The SSL bundle ({@code spring.ssl.bundle.*}) that secures the metadata quorum's transport with
     * mutual TLS: each voter presents the bundle's key and accepts only peers its trust store trusts, so
     * no one else can read or submit metadata (ACLs and SCRAM credentials among it). Unset, plaintext.
     */
    private String sslBundle;

    /** One voter of the metadata quorum. */
    public record Voter(int id, String host, int port) {

        static Voter parse(String text) {
            String entry = text.trim();
            int at = entry.indexOf('@');
            int colon = entry.lastIndexOf(':');
            if (at <= 0 || colon <= at + 1 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("A voter is id@host:port, not '" + entry + "'");
            }
            return new Voter(Integer.parseInt(entry.substring(0, at)), entry.substring(at + 1, colon),
                    Integer.parseInt(entry.substring(colon + 1)));
        }

        public String address() {
            return host + ":" + port;
        }
    }

    public boolean isEnabled() {
        return voters != null && !voters.isBlank();
    }

    public List<Voter> parsedVoters() {
        List<Voter> parsed = new ArrayList<>();
        for (String entry : voters.split(",")) {
            if (!entry.isBlank()) {
                parsed.add(Voter.parse(entry));
            }
        }
        return parsed;
    }

    /** This node's entry in {@code voters}, if it is one of the initial voters. */
    public Optional<Voter> voter(int nodeId) {
        return parsedVoters().stream().filter(v -> v.id() == nodeId).findFirst();
    }

    /** {@code cluster-id}, if set. */
    public Optional<org.apache.kafka.common.Uuid> configuredClusterId() {
        if (clusterId == null || clusterId.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(org.apache.kafka.common.Uuid.fromString(clusterId.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tributary.cluster.cluster-id is a Kafka cluster id (22 characters of "
                    + "URL-safe base64), not '" + clusterId + "'", e);
        }
    }

    /**
     * The id a new cluster takes without any formatting step: derived from the voter set, which all of
     * its nodes are configured with. It names the Raft group and the Kafka cluster; each node keeps it
     * in its Raft directory ({@link MetaProperties}), so that later changes of the voters leave it as it is.
     */
    public UUID clusterUuid() {
        String canonical = String.join(",", parsedVoters().stream().map(v -> v.id() + "@" + v.address()).sorted().toList());
        return UUID.nameUUIDFromBytes(("tributary-cluster:" + canonical).getBytes(StandardCharsets.UTF_8));
    }

    public Path effectiveRaftDir(Path dataDir) {
        return raftDir != null ? raftDir : dataDir.resolve(".raft");
    }

    public String getSslBundle() { return sslBundle; }
    public void setSslBundle(String sslBundle) { this.sslBundle = sslBundle; }
    public String getVoters() { return voters; }
    public void setVoters(String voters) { this.voters = voters; }
    public String getAdvertisedRaftAddress() { return advertisedRaftAddress; }
    public void setAdvertisedRaftAddress(String advertisedRaftAddress) { this.advertisedRaftAddress = advertisedRaftAddress; }
    public String getClusterId() { return clusterId; }
    public void setClusterId(String clusterId) { this.clusterId = clusterId; }
    public int getRaftPort() { return raftPort; }
    public void setRaftPort(int raftPort) { this.raftPort = raftPort; }
    public Path getRaftDir() { return raftDir; }
    public void setRaftDir(Path raftDir) { this.raftDir = raftDir; }
    public Duration getBrokerSessionTimeout() { return brokerSessionTimeout; }
    public void setBrokerSessionTimeout(Duration value) { this.brokerSessionTimeout = value; }
    public Duration getHeartbeatInterval() { return heartbeatInterval; }
    public void setHeartbeatInterval(Duration value) { this.heartbeatInterval = value; }
    public Duration getRequestTimeout() { return requestTimeout; }
    public void setRequestTimeout(Duration value) { this.requestTimeout = value; }
    public Duration getStartupTimeout() { return startupTimeout; }
    public void setStartupTimeout(Duration value) { this.startupTimeout = value; }
    public Duration getControlledShutdownTimeout() { return controlledShutdownTimeout; }
    public void setControlledShutdownTimeout(Duration value) { this.controlledShutdownTimeout = value; }
    public boolean isAutoLeaderRebalanceEnable() { return autoLeaderRebalanceEnable; }
    public void setAutoLeaderRebalanceEnable(boolean value) { this.autoLeaderRebalanceEnable = value; }
    public Duration getLeaderImbalanceCheckInterval() { return leaderImbalanceCheckInterval; }
    public void setLeaderImbalanceCheckInterval(Duration value) { this.leaderImbalanceCheckInterval = value; }
    public long getSnapshotThreshold() { return snapshotThreshold; }
    public void setSnapshotThreshold(long value) { this.snapshotThreshold = value; }

    // The self-balancer.

    /** The self-balancer ({@code tributary.cluster.balancer.*}). */
    private final Balancer balancer = new Balancer();

    public Balancer getBalancer() { return balancer; }

    /**
     * The self-balancer: the controller moves replicas and preferred leaderships so that every live
     * broker carries about as many as the others, a few at a time and throttled.
     */
    public static class Balancer {

        /** Whether the controller balances the cluster by itself. */
        private boolean enabled = false;

        /** How often the controller looks at the balance, besides when brokers join or leave and moves finish. */
        private Duration interval = Duration.ofSeconds(30);

        /** At most this many partitions moving at once in the whole cluster, the balancer's and others' moves together. */
        private int maxConcurrentMoves = 5;

        /**
         * The balance sought: the most and the fewest replicas (and preferred leaderships) per live broker
         * may differ by this much (at least 1).
         */
        private int allowedSpread = 1;

        /**
         * Bytes per second the balancer's moves may replicate, per broker and direction, as the cluster-wide
         * default {@code leader.replication.throttled.rate} and {@code follower.replication.throttled.rate},
         * each set only while those defaults are unset.
         */
        private DataSize throttleRate = DataSize.ofMegabytes(10);

        /**
         * The balance of disk use sought: the fullest and the emptiest live broker's shares of their log
         * directories may differ by this fraction of the average share.
         */
        private double allowedDiskSpread = 0.2;

        /** Differences in disk use smaller than this are left alone: not worth copying data for. */
        private DataSize minDiskImbalance = DataSize.ofGigabytes(1);

        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public Duration getInterval() { return interval; }
        public void setInterval(Duration interval) { this.interval = interval; }
        public int getMaxConcurrentMoves() { return maxConcurrentMoves; }
        public void setMaxConcurrentMoves(int value) { this.maxConcurrentMoves = value; }
        public int getAllowedSpread() { return allowedSpread; }
        public void setAllowedSpread(int value) { this.allowedSpread = value; }
        public DataSize getThrottleRate() { return throttleRate; }
        public void setThrottleRate(DataSize value) { this.throttleRate = value; }
        public double getAllowedDiskSpread() { return allowedDiskSpread; }
        public void setAllowedDiskSpread(double value) { this.allowedDiskSpread = value; }
        public DataSize getMinDiskImbalance() { return minDiskImbalance; }
        public void setMinDiskImbalance(DataSize value) { this.minDiskImbalance = value; }
    }
}
