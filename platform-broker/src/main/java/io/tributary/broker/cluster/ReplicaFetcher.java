package io.tributary.broker.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import io.tributary.broker.log.EpochEndOffset;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.ReplicationThrottles;
import org.apache.kafka.clients.FetchSessionHandler;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.utils.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that keeps this broker's replicas of the partitions led by one other broker in step
 * with it, Kafka's way: when a partition is (re)assigned in a new leader epoch it first truncates
 * whatever its log holds that the leader's does not (OffsetForLeaderEpoch, KIP-101/279), then
 * fetches from its log end as replica {@code localId} — which also tells the leader where this log
 * ends — and appends the leader's batches with their offsets and epochs as they are.
 *
 * <p>Thread-safe: {@link #assign} may be called from any thread; the fetcher thread does the rest.
 */
final class ReplicaFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final int MAX_WAIT_MS = 500;
    private static final int BACKOFF_MS = 200;
    private static final int PARTITION_MAX_BYTES = 1 << 20;
    private static final int TRUNCATION_ROUNDS = 16;
    /** Top-level errors that only say the fetch session is to be started again. */
    private static final Set<Errors> SESSION_ERRORS = Set.of(Errors.FETCH_SESSION_ID_NOT_FOUND,
            Errors.INVALID_FETCH_SESSION_EPOCH, Errors.FETCH_SESSION_TOPIC_ID_ERROR);

    /** A partition to follow from this fetcher's source, in one leader epoch. */
    record Target(TopicPartition topicPartition, Uuid topicId, int leaderEpoch) {
    }

    /** A target and whether it still has to find where its log diverges from the leader's. */
    private static final class State {
        final Target target;
        volatile boolean truncated;
        volatile long retryAtMs;

        State(Target target) {
            this.target = target;
        }
    }

    private final int localId;
    private final LongSupplier brokerEpoch;
    private final int sourceId;
    private final String host;
    private final int port;
    private final PartitionManager partitions;
    private final Map<TopicPartition, State> states = new ConcurrentHashMap<>();
    private final Object wakeUp = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile BrokerConnection connection;
    /** Why fetching from the source fails, or {@code null} while it works: for health, and to log once. */
    private volatile String failure;
    private final InterBrokerClient security;
    /** The client side of this fetcher's fetch session with its source (the fetcher thread's alone). */
    private final FetchSessionHandler session;

    ReplicaFetcher(int localId, int sourceId, String host, int port, PartitionManager partitions) {
        this(localId, sourceId, host, port, partitions, InterBrokerClient.PLAINTEXT);
    }

    /** @param security how to connect to the source's inter-broker listener */
    ReplicaFetcher(int localId, int sourceId, String host, int port, PartitionManager partitions, InterBrokerClient security) {
        this(localId, () -> BrokerRegistration.UNKNOWN_EPOCH, sourceId, host, port, partitions, security);
    }

    /**
     * @param brokerEpoch this broker's current broker epoch, which each fetch tells the leader (KIP-903): what
     *        the leader saw of this log then counts only for this incarnation
     */
    ReplicaFetcher(int localId, LongSupplier brokerEpoch, int sourceId, String host, int port, PartitionManager partitions,
            InterBrokerClient security) {
        this.security = security;
        this.brokerEpoch = brokerEpoch;
        this.localId = localId;
        this.sourceId = sourceId;
        this.host = host;
        this.port = port;
        this.partitions = partitions;
        this.session = new FetchSessionHandler(new LogContext("[Replica fetcher " + localId + " from " + sourceId + "] "),
                sourceId);
        this.thread = new Thread(this::run, "tributary-replica-fetcher-" + localId + "-from-" + sourceId);
        thread.setDaemon(true);
        thread.start();
    }

    boolean fetchesFrom(String otherHost, int otherPort) {
        return host.equals(otherHost) && port == otherPort;
    }

    /** Follows exactly {@code targets} from now on; a partition in a new epoch truncates first. */
    void assign(Map<TopicPartition, Target> targets) {
        states.keySet().retainAll(targets.keySet());
        for (Target target : targets.values()) {
            State current = states.get(target.topicPartition());
            if (current == null || !current.target.equals(target)) {
                states.put(target.topicPartition(), new State(target));
            }
        }
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    private void run() {
        while (running) {
            try {
                if (states.isEmpty()) {
                    pause(MAX_WAIT_MS);
                    continue;
                }
                if (connection == null) {
                    connection = new BrokerConnection(host, port, "tributary-replica-" + localId, 5_000 + MAX_WAIT_MS, security);
                }
                truncateDiverged();
                boolean fetched = fetch();
                recovered();
                if (!fetched) {
                    pause(BACKOFF_MS);
                }
            } catch (RuntimeException | IOException e) {
                if (running) {
                    failing(e);
                    session.handleError(e); // the next fetch, on a new connection, is a full one
                    closeConnection();
                    pause(BACKOFF_MS);
                }
            }
        }
        closeConnection();
    }

    /** Why fetching from the source broker fails now, or empty while it works. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    int sourceId() {
        return sourceId;
    }

    /** Logged at WARN when fetching starts failing or fails differently (bad credentials say so), DEBUG while it goes on. */
    private void failing(Exception e) {
        String reason = e instanceof org.apache.kafka.common.errors.AuthenticationException
                ? "authentication failed: " + e.getMessage() : e.toString();
        if (!reason.equals(failure)) {
            log.warn("Replica fetcher of broker {} cannot fetch from broker {} at {}:{}: {}", localId, sourceId, host, port, reason);
        } else {
            log.debug("Replica fetcher from broker {} failed again: {}", sourceId, reason);
        }
        failure = reason;
    }

    private void recovered() {
        if (failure != null) {
            log.info("Replica fetcher of broker {} fetches from broker {} again", localId, sourceId);
            failure = null;
        }
    }

    /** Truncates each newly assigned partition to where its log stops agreeing with the leader's. */
    private void truncateDiverged() throws IOException {
        for (State state : List.copyOf(states.values())) {
            if (state.truncated || state.retryAtMs > now()) {
                continue;
            }
            Optional<Partition> partition = partitions.partition(state.target.topicPartition());
            if (partition.isEmpty()) {
                continue;
            }
            state.truncated = truncate(state, partition.get());
        }
    }

    /** Returns whether the log now agrees with the leader's as far as it goes. */
    private boolean truncate(State state, Partition partition) throws IOException {
        PartitionLog partitionLog = partition.log();
        for (int round = 0; round < TRUNCATION_ROUNDS; round++) {
            int latest = partitionLog.latestEpoch();
            if (latest < 0) {
                return true;
            }
            OffsetForLeaderEpochResponseData.EpochEndOffset answer = leaderEndOffset(state.target, latest);
            Errors error = Errors.forCode(answer.errorCode());
            if (error != Errors.NONE) {
                log.debug("{}: OffsetForLeaderEpoch from broker {}: {}", state.target.topicPartition(), sourceId, error);
                state.retryAtMs = now() + BACKOFF_MS;
                return false;
            }
            long cut;
            boolean agreed;
            if (answer.leaderEpoch() < 0 || answer.endOffset() < 0) {
                cut = partitionLog.highWatermark(); // the leader knows no epoch this old: keep what was committed
                agreed = true;
            } else if (answer.leaderEpoch() == latest) {
                cut = Math.min(answer.endOffset(), partitionLog.logEndOffset());
                agreed = true;
            } else {
                // The leader never wrote in our latest epoch: cut back to where its epoch ended here too, and ask again.
                EpochEndOffset local = partitionLog.endOffsetForEpoch(answer.leaderEpoch());
                cut = local.endOffset() < 0 ? answer.endOffset() : Math.min(answer.endOffset(), local.endOffset());
                agreed = false;
            }
            if (cut < partitionLog.logEndOffset()) {
                log.info("{}: truncating to offset {} to match leader {} in epoch {}", state.target.topicPartition(), cut,
                        sourceId, state.target.leaderEpoch());
            }
            if (!partition.truncateAsFollower(state.target.leaderEpoch(), cut)) {
                return false;
            }
            if (agreed) {
                return true;
            }
        }
        return true;
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset leaderEndOffset(Target target, int epoch) {
        OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
        topics.add(new OffsetForLeaderTopic().setTopic(target.topicPartition().topic()).setPartitions(List.of(
                new OffsetForLeaderPartition().setPartition(target.topicPartition().partition())
                        .setCurrentLeaderEpoch(target.leaderEpoch()).setLeaderEpoch(epoch))));
        OffsetsForLeaderEpochResponse response = connection.call(
                OffsetsForLeaderEpochRequest.Builder.forFollower(topics, localId).build());
        return response.data().topics().iterator().next().partitions().get(0);
    }

    /** Fetches once from the leader; returns false when no partition was ready to fetch. */
    private boolean fetch() {
        long now = now();
        Map<TopicPartition, FetchRequest.PartitionData> request = new LinkedHashMap<>();
        Map<String, State> byKey = new HashMap<>();
        ReplicationThrottles throttles = partitions.throttles();
        Boolean throttled = null; // the quota is asked only when some partition is throttled
        Set<TopicPartition> counted = new HashSet<>();
        for (State state : states.values()) {
            Optional<Partition> partition = partitions.partition(state.target.topicPartition());
            if (!state.truncated || state.retryAtMs > now || partition.isEmpty()) {
                continue;
            }
            if (throttles.followerThrottles(partition.get(), localId)) {
                if (throttled == null) {
                    throttled = throttles.followerQuotaExceeded();
                }
                if (throttled) {
                    continue; // Kafka's follower-side throttle: left out until the rate allows it
                }
                counted.add(state.target.topicPartition());
            }
            PartitionLog partitionLog = partition.get().log();
            Target target = state.target;
            request.put(target.topicPartition(), new FetchRequest.PartitionData(target.topicId(),
                    partitionLog.logEndOffset(), partitionLog.logStartOffset(), PARTITION_MAX_BYTES,
                    Optional.of(target.leaderEpoch()), Optional.empty()));
            byKey.put(key(target.topicId(), target.topicPartition().partition()), state);
        }
        if (request.isEmpty()) {
            return false;
        }
        // A fetch session (KIP-227), as Kafka's replica fetchers keep: the request names only the partitions
        // whose position moved, the answer carries only those with something new. A partition left out of
        // this round (backing off, throttled) leaves the session and rejoins it later.
        FetchSessionHandler.Builder builder = session.newBuilder(request.size(), false);
        request.forEach(builder::add);
        FetchSessionHandler.FetchRequestData fetchData = builder.build();
        short version = fetchData.canUseTopicIds() ? ApiKeys.FETCH.latestVersion() : (short) 12;
        FetchResponse response = connection.call(FetchRequest.Builder.forReplica(version, localId, brokerEpoch.getAsLong(), MAX_WAIT_MS, 1,
                fetchData.toSend()).removed(fetchData.toForget()).replaced(fetchData.toReplace())
                .metadata(fetchData.metadata()).setMaxBytes(10 * PARTITION_MAX_BYTES).build(version));
        Errors topLevel = Errors.forCode(response.data().errorCode());
        if (!session.handleResponse(response, version)) {
            if (topLevel == Errors.NONE || SESSION_ERRORS.contains(topLevel)) {
                return true; // the session starts again with a full fetch, at once
            }
            throw new IllegalStateException("Fetch from broker " + sourceId + " failed: " + topLevel);
        }
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData data : topic.partitions()) {
                State state = byKey.get(key(topic.topicId(), data.partitionIndex()));
                if (state != null && states.get(state.target.topicPartition()) == state) {
                    handle(state, data);
                    if (counted.contains(state.target.topicPartition()) && data.records() != null) {
                        throttles.recordFollower(data.records().sizeInBytes());
                    }
                }
            }
        }
        return true;
    }

    private void handle(State state, FetchResponseData.PartitionData data) {
        Errors error = Errors.forCode(data.errorCode());
        TopicPartition tp = state.target.topicPartition();
        Optional<Partition> partition = partitions.partition(tp);
        if (partition.isEmpty()) {
            return;
        }
        switch (error) {
            case NONE -> {
                try {
                    partition.get().appendAsFollower(state.target.leaderEpoch(), (MemoryRecords) data.records(),
                            data.highWatermark(), data.logStartOffset());
                } catch (io.tributary.broker.log.InvalidBatchException e) {
                    log.warn("{}: replicated batches from broker {} do not fit: {}", tp, sourceId, e.getMessage());
                    state.truncated = false;
                    // Backs off as for other fetch errors: when the leader's log holds batches that this
                    // broker refuses, retrying at once spins a core and floods the log.
                    state.retryAtMs = now() + BACKOFF_MS;
                }
            }
            case OFFSET_OUT_OF_RANGE -> {
                if (data.logStartOffset() > partition.get().log().logEndOffset()) {
                    log.info("{}: broker {} no longer holds offset {}; restarting the log at its start {}", tp, sourceId,
                            partition.get().log().logEndOffset(), data.logStartOffset());
                    try {
                        partition.get().restartAsFollowerAt(state.target.leaderEpoch(), data.logStartOffset());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                } else {
                    log.info("{}: fetch offset out of range at broker {}; finding the divergence again", tp, sourceId);
                    state.truncated = false;
                    state.retryAtMs = now() + BACKOFF_MS;
                }
            }
            case TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED ->
                throw new IllegalStateException("broker " + sourceId + " refuses this broker's user (" + error
                        + "): it needs CLUSTER_ACTION on the cluster, or to be a super user");
            default -> {
                // The leader or its epoch moved (or the leader has not learned it yet): the metadata will say.
                log.debug("{}: fetch from broker {}: {}", tp, sourceId, error);
                state.retryAtMs = now() + BACKOFF_MS;
            }
        }
    }

    private static String key(Uuid topicId, int partition) {
        return topicId + "-" + partition;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private void pause(long ms) {
        synchronized (wakeUp) {
            try {
                wakeUp.wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private void closeConnection() {
        BrokerConnection current = connection;
        if (current != null) {
            current.close();
            connection = null;
        }
    }

    /**
     * Stops fetching without waiting for the thread, which ends on its own: the metadata thread that
     * calls this must not wait for a connect or read in progress.
     */
    void stop() {
        running = false;
        // Closing the socket is what ends a read blocked on it.
        closeConnection();
        thread.interrupt();
    }

    @Override
    public void close() {
        stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
