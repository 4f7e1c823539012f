package io.tributary.broker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.security.Listeners;
import io.tributary.broker.security.SaslMechanisms;

/**
 * The broker's settings under {@code tributary.broker}, bound the Spring Boot way (application.yml,
 * environment variables such as {@code TRIBUTARY_BROKER_PORT}, or {@code --tributary.broker.port=…}).
 */
@ConfigurationProperties(prefix = "tributary.broker")
public class BrokerProperties {

    /** This broker's id in the cluster (Kafka's {@code node.id}). */
    private int nodeId = 0;

    /**
     * The rack (or availability zone) this broker is in (Kafka's {@code broker.rack}): new partitions
     * spread their replicas over racks, and consumers that set {@code client.rack} read from a replica
     * in their rack. Unset, the broker is in no rack.
     */
    private String rack;

    /**
     * Which replica a consumer reads from (Kafka's {@code replica.selector.class}, a
     * {@code org.apache.kafka.common.replica.ReplicaSelector}). The default, Kafka's rack-aware selector,
     * sends a consumer with {@code client.rack} to an in-sync replica in its rack, and every other
     * consumer to the leader; blank makes every consumer read from the leader.
     */
    private String replicaSelectorClass = "org.apache.kafka.common.replica.RackAwareReplicaSelector";

    /** Interface the Kafka listener binds to. */
    private String host = "0.0.0.0";

    /** Host name clients are told to connect to; defaults to {@code host}, or localhost when that is a wildcard. */
    private String advertisedHost;

    /** Kafka listener port. */
    private int port = 9092;

    /** Directory holding the partition logs and the broker's metadata. */
    private Path dataDir = Path.of("./data");

    /**
     * What the broker does when its data directory fails (a full disk, an I/O error): {@code shutdown} hands
     * its leaderships over (controlled shutdown) and stops the process with exit status 74, as Kafka stops a
     * broker whose last log directory failed; {@code offline} takes only the failed partitions offline and
     * keeps serving the others until a restart; {@code auto}, the default, is {@code shutdown} for a broker
     * in a cluster that runs as a process of its own ({@code java -jar}, the image) and {@code offline}
     * otherwise: a single node has nobody to hand over to, and a broker embedded in another JVM (a test's)
     * must not end it.
     */
    private LogDirFailure logDirFailure = LogDirFailure.AUTO;

    /** Whether Metadata requests for unknown topics create them (Kafka's {@code auto.create.topics.enable}). */
    private boolean autoCreateTopicsEnable = true;

    /** Partitions of topics created without a partition count, automatically or by CreateTopics. */
    private int numPartitions = 1;

    /** Replication factor of topics created without one. */
    private short defaultReplicationFactor = 1;

    /** In-sync replicas an acks=all produce needs, unless the topic sets {@code min.insync.replicas}. */
    private int minInsyncReplicas = 1;

    /**
     * Whether a live out-of-sync replica may lead a partition left without a live in-sync replica, for
     * topics that do not set {@code unclean.leader.election.enable}; unset is Kafka's default, false.
     * The dynamic broker config of the same name overrides it.
     */
    private Boolean uncleanLeaderElectionEnable;

    /**
     * A follower that has not caught up with its leader for this long leaves the in-sync replica set
     * ({@code replica.lag.time.max.ms}).
     */
    private Duration replicaLagTimeMax = Duration.ofSeconds(30);

    /** The largest request a client may send ({@code socket.request.max.bytes}); larger ones close the connection. */
    private DataSize socketRequestMaxBytes = DataSize.ofMegabytes(100);

    /** Requests of one connection handled at once; beyond that the connection is not read from. */
    private int maxInFlightRequestsPerConnection = 100;

    /** Connections idle this long are closed ({@code connections.max.idle.ms}). */
    private Duration connectionsMaxIdle = Duration.ofMinutes(10);

    /** Connections accepted at most; more are closed at once. */
    private int maxConnections = 10_000;

    /**
     * Fetch sessions (KIP-227) kept at most, as Kafka's {@code max.incremental.fetch.session.cache.slots};
     * 0 turns them off (every fetch is then a full one).
     */
    private int maxIncrementalFetchSessionCacheSlots = 1000;

    /** Threads running request handlers ({@code num.io.threads}); 0 means one per core, at least two. */
    private int numIoThreads = 0;

    /**
     * The listeners to bind, as Kafka's {@code listeners}: {@code NAME://host:port,…}, e.g.
     * {@code PLAINTEXT://0.0.0.0:9092,SASL_SSL://0.0.0.0:9093}. Unset, one PLAINTEXT listener on
     * {@code host} and {@code port}.
     */
    private String listeners;

    /**
     * What clients are told to connect to, per listener, as Kafka's {@code advertised.listeners}; a
     * listener not named here advertises its bound host (or {@code advertised-host}, or localhost, for
     * one bound to every interface) and port.
     */
    private String advertisedListeners;

    /**
     * The security protocol of each listener name, as Kafka's {@code listener.security.protocol.map}:
     * {@code INTERNAL:SASL_SSL,EXTERNAL:SSL}. A listener named after a protocol speaks it by default.
     */
    private String listenerSecurityProtocolMap;

    /** The listener other brokers connect to (replica fetchers); unset, the first listener. */
    private String interBrokerListenerName;

    /** TLS and SASL per listener, authorization (ACLs, super users) and the SCRAM users created at start. */
    private final Security security = new Security();

    /** Defaults for every topic's log; a topic's own configs override them. */
    private final Log log = new Log();

    /**
     * For benchmarks only: Produce is answered as if every batch had been appended, and nothing is stored
     * (the answer's offset is -1). It measures how far a client gets through this broker's network and
     * request path alone, the ceiling of what storing could reach. Never set it for data anyone wants back.
     */
    private boolean benchAcknowledgeWithoutStoring;

    public boolean isBenchAcknowledgeWithoutStoring() {
        return benchAcknowledgeWithoutStoring;
    }

    public void setBenchAcknowledgeWithoutStoring(boolean value) {
        this.benchAcknowledgeWithoutStoring = value;
    }

    /** The group coordinator. */
    @NestedConfigurationProperty
    private final GroupProperties group = new GroupProperties();

    public GroupProperties getGroup() {
        return group;
    }

    /** The transaction coordinator. */
    @NestedConfigurationProperty
    private final TransactionProperties transaction = new TransactionProperties();

    public TransactionProperties getTransaction() {
        return transaction;
    }

    /** Share groups (KIP-932): where their state is kept. */
    @NestedConfigurationProperty
    private final ShareProperties share = new ShareProperties();

    public ShareProperties getShare() {
        return share;
    }

    public String getListeners() {
        return listeners;
    }

    public void setListeners(String listeners) {
        this.listeners = listeners;
    }

    public String getAdvertisedListeners() {
        return advertisedListeners;
    }

    public void setAdvertisedListeners(String advertisedListeners) {
        this.advertisedListeners = advertisedListeners;
    }

    public String getListenerSecurityProtocolMap() {
        return listenerSecurityProtocolMap;
    }

    public void setListenerSecurityProtocolMap(String listenerSecurityProtocolMap) {
        this.listenerSecurityProtocolMap = listenerSecurityProtocolMap;
    }

    public String getInterBrokerListenerName() {
        return interBrokerListenerName;
    }

    public void setInterBrokerListenerName(String interBrokerListenerName) {
        this.interBrokerListenerName = interBrokerListenerName;
    }

    public Security getSecurity() {
        return security;
    }

    /** Whether the HTTP side authenticates users: as configured, or when a Kafka listener uses SASL. */
    public boolean httpAuthenticationEnabled() {
        if (security.getHttpAuthentication() != null) {
            return security.getHttpAuthentication();
        }
        return listenerLayout().bound().stream().anyMatch(l -> l.securityProtocol().name.startsWith("SASL_"));
    }

    /** The listeners this broker binds and advertises, from {@code listeners} or else {@code host} and {@code port}. */
    public Listeners listenerLayout() {
        if (listeners == null || listeners.isBlank()) {
            Listeners plain = Listeners.plaintext(host, port, advertisedHost);
            if (advertisedListeners == null || advertisedListeners.isBlank()) {
                return plain;
            }
            return Listeners.parse(plain.listenersConfig(), advertisedListeners,
                    listenerSecurityProtocolMap, interBrokerListenerName, effectiveAdvertisedHost());
        }
        return Listeners.parse(listeners, advertisedListeners, listenerSecurityProtocolMap,
                interBrokerListenerName, effectiveAdvertisedHost());
    }

    /**
     * Security ({@code tributary.broker.security.*}), named after Kafka's broker configs: TLS from
     * Spring Boot SSL bundles ({@code spring.ssl.bundle.*}) chosen per listener, SASL mechanisms and how
     * connections that authenticate are treated; the ACL authorizer ({@code authorizer.class.name}),
     * its super users ({@code super.users}) and {@code allow.everyone.if.no.acl.found}; and the SCRAM
     * users a broker creates at start.
     */
    public static class Security {

        /**
         * Per listener (by name, e.g. {@code SASL_SSL} or {@code INTERNAL}): its SSL bundle and whether
         * it asks clients for certificates.
         */
        private final Map<String, ListenerTls> listener = new LinkedHashMap<>();

        /**
         * The SASL mechanisms offered on SASL listeners ({@code sasl.enabled.mechanisms}): SCRAM-SHA-512,
         * SCRAM-SHA-256 and PLAIN, all checked against the SCRAM credentials the cluster stores.
         */
        private List<String> saslEnabledMechanisms = new ArrayList<>(
                SaslMechanisms.SUPPORTED);

        /**
         * Rules mapping a client certificate's subject to a principal name ({@code ssl.principal.mapping.rules}),
         * e.g. {@code RULE:^CN=(.*?),OU=.*$/$1/,DEFAULT}.
         */
        private String sslPrincipalMappingRules = "DEFAULT";

        /** How long the answer to a failed authentication and the close after it are held back. */
        private Duration connectionFailedAuthenticationDelay = Duration.ofMillis(100);

        /**
         * The longest an authenticated SASL session lasts before the client must authenticate again on
         * its connection ({@code connections.max.reauth.ms}, KIP-368); 0 for no limit.
         */
        private Duration connectionsMaxReauth = Duration.ZERO;

        /** The largest request a SASL client may send before it has authenticated ({@code sasl.server.max.receive.size}). */
        private DataSize saslServerMaxReceiveSize = DataSize.ofKilobytes(512);

        /** How this broker authenticates to others on the inter-broker listener (replica fetchers). */
        private final InterBroker interBroker = new InterBroker();

        /**
         * Whether the HTTP side (admin API, console, Prometheus, health details) asks for HTTP Basic
         * authentication against the cluster's SCRAM users. Unset, it does exactly when a Kafka listener
         * authenticates with SASL; liveness and readiness stay open either way.
         */
        private Boolean httpAuthentication;

        public Boolean getHttpAuthentication() { return httpAuthentication; }
        public void setHttpAuthentication(Boolean httpAuthentication) { this.httpAuthentication = httpAuthentication; }

        public Map<String, ListenerTls> getListener() { return listener; }
        public List<String> getSaslEnabledMechanisms() { return saslEnabledMechanisms; }
        public void setSaslEnabledMechanisms(List<String> saslEnabledMechanisms) { this.saslEnabledMechanisms = saslEnabledMechanisms; }
        public String getSslPrincipalMappingRules() { return sslPrincipalMappingRules; }
        public void setSslPrincipalMappingRules(String sslPrincipalMappingRules) { this.sslPrincipalMappingRules = sslPrincipalMappingRules; }
        public Duration getConnectionFailedAuthenticationDelay() { return connectionFailedAuthenticationDelay; }
        public void setConnectionFailedAuthenticationDelay(Duration delay) { this.connectionFailedAuthenticationDelay = delay; }
        public Duration getConnectionsMaxReauth() { return connectionsMaxReauth; }
        public void setConnectionsMaxReauth(Duration connectionsMaxReauth) { this.connectionsMaxReauth = connectionsMaxReauth; }
        public DataSize getSaslServerMaxReceiveSize() { return saslServerMaxReceiveSize; }
        public void setSaslServerMaxReceiveSize(DataSize saslServerMaxReceiveSize) { this.saslServerMaxReceiveSize = saslServerMaxReceiveSize; }
        public InterBroker getInterBroker() { return interBroker; }

        /** The TLS side of one listener. */
        public static class ListenerTls {

            /** The SSL bundle ({@code spring.ssl.bundle.pem.<name>} or {@code .jks.<name>}) with the key, certificate and trust. */
            private String sslBundle;

            /** Whether clients are asked for a certificate ({@code ssl.client.auth}): none, requested or required. */
            private ClientAuth sslClientAuth = ClientAuth.NONE;

            public String getSslBundle() { return sslBundle; }
            public void setSslBundle(String sslBundle) { this.sslBundle = sslBundle; }
            public ClientAuth getSslClientAuth() { return sslClientAuth; }
            public void setSslClientAuth(ClientAuth sslClientAuth) { this.sslClientAuth = sslClientAuth; }
        }

        /** Kafka's {@code ssl.client.auth} values. */
        public enum ClientAuth { NONE, REQUESTED, REQUIRED }

        /** The client side of broker-to-broker connections on a listener that authenticates. */
        public static class InterBroker {

            /** The SASL mechanism replica fetchers authenticate with ({@code sasl.mechanism.inter.broker.protocol}). */
            private String saslMechanism = "SCRAM-SHA-512";

            /** The user brokers authenticate as; it needs CLUSTER_ACTION on the cluster when an authorizer is on. */
            private String username;

            /** That user's password. */
            private String password;

            public String getSaslMechanism() { return saslMechanism; }
            public void setSaslMechanism(String saslMechanism) { this.saslMechanism = saslMechanism; }
            public String getUsername() { return username; }
            public void setUsername(String username) { this.username = username; }
            public String getPassword() { return password; }
            public void setPassword(String password) { this.password = password; }
        }

        /** The ACL authorizer; without it every request is allowed. */
        private final Authorizer authorizer = new Authorizer();

        /** Principals, such as {@code User:admin}, allowed everything whatever the ACLs say. */
        private List<String> superUsers = new ArrayList<>();

        /** Whether an action on a resource no ACL mentions is allowed, rather than denied. */
        private boolean allowEveryoneIfNoAclFound = false;

        /**
         * SCRAM users created at start when they have no credential for their mechanism yet; an
         * existing credential (a password changed since) is kept.
         */
        private List<BootstrapUser> bootstrapUsers = new ArrayList<>();

        public Authorizer getAuthorizer() { return authorizer; }
        public List<String> getSuperUsers() { return superUsers; }
        public void setSuperUsers(List<String> value) { this.superUsers = value; }
        public boolean isAllowEveryoneIfNoAclFound() { return allowEveryoneIfNoAclFound; }
        public void setAllowEveryoneIfNoAclFound(boolean value) { this.allowEveryoneIfNoAclFound = value; }
        public List<BootstrapUser> getBootstrapUsers() { return bootstrapUsers; }
        public void setBootstrapUsers(List<BootstrapUser> value) { this.bootstrapUsers = value; }

        /** The ACL authorizer. */
        public static class Authorizer {

            /** Whether requests are checked against ACLs (and the ACL APIs are served). */
            private boolean enabled = false;

            public boolean isEnabled() { return enabled; }
            public void setEnabled(boolean value) { this.enabled = value; }
        }

        /** A SCRAM user: its password is salted at start and never stored. */
        public static class BootstrapUser {

            private String name;

            private String password;

            /** {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}. */
            private String mechanism = "SCRAM-SHA-512";

            /** PBKDF2 iterations, 4096 to 16384 as Kafka accepts. */
            private int iterations = 4096;

            public String getName() { return name; }
            public void setName(String value) { this.name = value; }
            public String getPassword() { return password; }
            public void setPassword(String value) { this.password = value; }
            public String getMechanism() { return mechanism; }
            public void setMechanism(String value) { this.mechanism = value; }
            public int getIterations() { return iterations; }
            public void setIterations(int value) { this.iterations = value; }
        }
    }

    public boolean isAutoCreateTopicsEnable() {
        return autoCreateTopicsEnable;
    }

    public void setAutoCreateTopicsEnable(boolean autoCreateTopicsEnable) {
        this.autoCreateTopicsEnable = autoCreateTopicsEnable;
    }

    public int getNumPartitions() {
        return numPartitions;
    }

    public void setNumPartitions(int numPartitions) {
        this.numPartitions = numPartitions;
    }

    public short getDefaultReplicationFactor() {
        return defaultReplicationFactor;
    }

    public void setDefaultReplicationFactor(short defaultReplicationFactor) {
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    public int getMinInsyncReplicas() {
        return minInsyncReplicas;
    }

    public Duration getReplicaLagTimeMax() {
        return replicaLagTimeMax;
    }

    public void setReplicaLagTimeMax(Duration replicaLagTimeMax) {
        this.replicaLagTimeMax = replicaLagTimeMax;
    }

    public void setMinInsyncReplicas(int minInsyncReplicas) {
        this.minInsyncReplicas = minInsyncReplicas;
    }

    public Boolean getUncleanLeaderElectionEnable() {
        return uncleanLeaderElectionEnable;
    }

    public void setUncleanLeaderElectionEnable(Boolean uncleanLeaderElectionEnable) {
        this.uncleanLeaderElectionEnable = uncleanLeaderElectionEnable;
    }

    public DataSize getSocketRequestMaxBytes() {
        return socketRequestMaxBytes;
    }

    public void setSocketRequestMaxBytes(DataSize socketRequestMaxBytes) {
        this.socketRequestMaxBytes = socketRequestMaxBytes;
    }

    public int getMaxInFlightRequestsPerConnection() {
        return maxInFlightRequestsPerConnection;
    }

    public void setMaxInFlightRequestsPerConnection(int maxInFlightRequestsPerConnection) {
        this.maxInFlightRequestsPerConnection = maxInFlightRequestsPerConnection;
    }

    public Duration getConnectionsMaxIdle() {
        return connectionsMaxIdle;
    }

    public void setConnectionsMaxIdle(Duration connectionsMaxIdle) {
        this.connectionsMaxIdle = connectionsMaxIdle;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxIncrementalFetchSessionCacheSlots() {
        return maxIncrementalFetchSessionCacheSlots;
    }

    public void setMaxIncrementalFetchSessionCacheSlots(int value) {
        this.maxIncrementalFetchSessionCacheSlots = value;
    }

    public int getNumIoThreads() {
        return numIoThreads;
    }

    public void setNumIoThreads(int numIoThreads) {
        this.numIoThreads = numIoThreads;
    }

    public String getRack() {
        return rack;
    }

    public void setRack(String rack) {
        this.rack = rack;
    }

    public String getReplicaSelectorClass() {
        return replicaSelectorClass;
    }

    public void setReplicaSelectorClass(String replicaSelectorClass) {
        this.replicaSelectorClass = replicaSelectorClass;
    }

    public int getNodeId() {
        return nodeId;
    }

    public void setNodeId(int nodeId) {
        this.nodeId = nodeId;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getAdvertisedHost() {
        return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
        this.advertisedHost = advertisedHost;
    }

    /** The host name clients should use to reach this broker. */
    public String effectiveAdvertisedHost() {
        if (advertisedHost != null && !advertisedHost.isBlank()) {
            return advertisedHost;
        }
        return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public LogDirFailure getLogDirFailure() {
        return logDirFailure;
    }

    public void setLogDirFailure(LogDirFailure logDirFailure) {
        this.logDirFailure = logDirFailure;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    public Log getLog() {
        return log;
    }

    /**
     * Log settings, named after Kafka's broker configs ({@code log.segment.bytes}, {@code log.retention.ms},
     * ...). Durability of acknowledged records depends on the flush settings: by default data is
     * handed to the OS page cache and survives a broker crash but not a power loss of the machine;
     * {@code flush-messages=1} forces every append to disk before it is acknowledged.
     */
    public static class Log {

        /** Roll to a new segment before one grows past this size. */
        private DataSize segmentBytes = DataSize.ofGigabytes(1);

        /** Roll a segment whose first record is older than this. */
        private Duration segmentMs = Duration.ofDays(7);

        /** Preallocated size of an active segment's offset and time index. */
        private DataSize segmentIndexBytes = DataSize.ofMegabytes(10);

        /** Bytes of record batches between two entries of the sparse indexes. */
        private DataSize indexIntervalBytes = DataSize.ofBytes(4096);

        /** Delete closed segments whose newest record is older than this; negative keeps them forever. */
        private Duration retentionMs = Duration.ofDays(7);

        /** Delete the oldest closed segments while a partition is larger than this; negative means no limit. */
        private long retentionBytes = -1;

        /** Force data to disk after this many records; unset leaves flushing to the OS (Kafka's default). */
        private Long flushMessages;

        /** Force data to disk when it is older than this; unset leaves flushing to the OS. */
        private Duration flushMs;

        /** The largest record batch a producer may send. */
        private int maxMessageBytes = 1024 * 1024 + 12;

        /** CreateTime keeps the producer's timestamps; LogAppendTime stamps records with the broker's clock. */
        private TimestampType messageTimestampType = TimestampType.CREATE_TIME;

        /** How long deleted segment files stay readable for reads already under way. */
        private Duration fileDeleteDelayMs = Duration.ofMinutes(1);

        /** How often retention runs. */
        private Duration retentionCheckInterval = Duration.ofMinutes(5);

        /** How often the log start offset, high watermark and recovery point are checkpointed. */
        private Duration checkpointInterval = Duration.ofMinutes(1);

        /** How long the log cleaner rests when no compacted log needs cleaning ({@code log.cleaner.backoff.ms}). */
        private Duration cleanerBackoff = Duration.ofSeconds(15);

        public Duration getCleanerBackoff() { return cleanerBackoff; }
        public void setCleanerBackoff(Duration cleanerBackoff) { this.cleanerBackoff = cleanerBackoff; }

        /** The log settings every topic starts from. */
        public LogConfig toLogConfig() {
            return LogConfig.builder()
                    .segmentBytes(Math.toIntExact(segmentBytes.toBytes()))
                    .segmentMs(segmentMs.toMillis())
                    .segmentIndexBytes(Math.toIntExact(segmentIndexBytes.toBytes()))
                    .indexIntervalBytes(Math.toIntExact(indexIntervalBytes.toBytes()))
                    .retentionMs(retentionMs.isNegative() ? -1 : retentionMs.toMillis())
                    .retentionBytes(retentionBytes)
                    .flushMessages(flushMessages == null ? Long.MAX_VALUE : flushMessages)
                    .flushMs(flushMs == null ? Long.MAX_VALUE : flushMs.toMillis())
                    .maxMessageBytes(maxMessageBytes)
                    .timestampType(messageTimestampType)
                    .fileDeleteDelayMs(fileDeleteDelayMs.toMillis())
                    .build();
        }

        public LogManager.Schedule toSchedule() {
            return new LogManager.Schedule(retentionCheckInterval.toMillis(),
                    flushMs == null ? 1000 : Math.max(1, Math.min(1000, flushMs.toMillis())),
                    checkpointInterval.toMillis(), cleanerBackoff.toMillis());
        }

        public DataSize getSegmentBytes() { return segmentBytes; }
        public void setSegmentBytes(DataSize segmentBytes) { this.segmentBytes = segmentBytes; }
        public Duration getSegmentMs() { return segmentMs; }
        public void setSegmentMs(Duration segmentMs) { this.segmentMs = segmentMs; }
        public DataSize getSegmentIndexBytes() { return segmentIndexBytes; }
        public void setSegmentIndexBytes(DataSize segmentIndexBytes) { this.segmentIndexBytes = segmentIndexBytes; }
        public DataSize getIndexIntervalBytes() { return indexIntervalBytes; }
        public void setIndexIntervalBytes(DataSize indexIntervalBytes) { this.indexIntervalBytes = indexIntervalBytes; }
        public Duration getRetentionMs() { return retentionMs; }
        public void setRetentionMs(Duration retentionMs) { this.retentionMs = retentionMs; }
        public long getRetentionBytes() { return retentionBytes; }
        public void setRetentionBytes(long retentionBytes) { this.retentionBytes = retentionBytes; }
        public Long getFlushMessages() { return flushMessages; }
        public void setFlushMessages(Long flushMessages) { this.flushMessages = flushMessages; }
        public Duration getFlushMs() { return flushMs; }
        public void setFlushMs(Duration flushMs) { this.flushMs = flushMs; }
        public int getMaxMessageBytes() { return maxMessageBytes; }
        public void setMaxMessageBytes(int maxMessageBytes) { this.maxMessageBytes = maxMessageBytes; }
        public TimestampType getMessageTimestampType() { return messageTimestampType; }
        public void setMessageTimestampType(TimestampType messageTimestampType) { this.messageTimestampType = messageTimestampType; }
        public Duration getFileDeleteDelayMs() { return fileDeleteDelayMs; }
        public void setFileDeleteDelayMs(Duration fileDeleteDelayMs) { this.fileDeleteDelayMs = fileDeleteDelayMs; }
        public Duration getRetentionCheckInterval() { return retentionCheckInterval; }
        public void setRetentionCheckInterval(Duration retentionCheckInterval) { this.retentionCheckInterval = retentionCheckInterval; }
        public Duration getCheckpointInterval() { return checkpointInterval; }
        public void setCheckpointInterval(Duration checkpointInterval) { this.checkpointInterval = checkpointInterval; }
    }
}
