package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.fetch.FetchContext;
import io.tributary.broker.fetch.FetchSession;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.fetch.SessionPartition;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReadReplicaSelection;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.ClientMetadata.DefaultClientMetadata;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.partition.FetchRequestPartition;
import io.tributary.broker.partition.FetchResultPartition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Fetch: reads each partition from the requested offset up to the high watermark (a consumer) or
 * the log end (a follower, whose fetch offset also tells the leader where its log ends), honouring the
 * per-partition and per-response byte limits, and waits up to {@code max.wait.ms} for
 * {@code min.bytes} (woken by appends, not by polling). The record bytes go out as file regions of
 * the segments. Fetch sessions (KIP-227, {@link FetchSessionCache}): a full fetch with epoch 0 opens one
 * when there is room, and the client's incremental fetches then name only the partitions whose position
 * changed and are answered with only the partitions that have something new.
 *
 * <p>A consumer that sends its rack (version 11 and later) may be told by the leader to read from a
 * follower in its rack ({@link ReadReplicaSelection}, KIP-392), and such consumers may read from a
 * follower up to the follower's high watermark.
 *
 * <p>As in Kafka, a consumer needs READ on each topic (TOPIC_AUTHORIZATION_FAILED for the others'
 * partitions, existing or not) and a follower needs CLUSTER_ACTION on the cluster (without it, every
 * partition is TOPIC_AUTHORIZATION_FAILED).
 */
public final class FetchHandler implements ApiHandler<FetchRequest> {

    private final ClusterMetadata topics;
    private final PartitionManager partitions;
    private final RequestAuthorization authorization;
    private final ReadReplicaSelection readReplicas;
    private final int localId;
    private final FetchSessionCache sessions;
    private volatile TrafficObserver traffic = TrafficObserver.NONE;

    public FetchHandler(ClusterMetadata topics, PartitionManager partitions, RequestAuthorization authorization) {
        this(topics, partitions, authorization, ReadReplicaSelection.LEADER_ONLY, -1,
                new FetchSessionCache(1000, 120_000, System::currentTimeMillis));
    }

    /**
     * @param readReplicas which replica a consumer is told to read from, on the partitions led here
     * @param localId      this broker's node id
     * @param sessions     the fetch sessions (KIP-227)
     */
    public FetchHandler(ClusterMetadata topics, PartitionManager partitions, RequestAuthorization authorization,
            ReadReplicaSelection readReplicas, int localId, FetchSessionCache sessions) {
        this.sessions = sessions;
        this.topics = topics;
        this.partitions = partitions;
        this.authorization = authorization;
        this.readReplicas = readReplicas;
        this.localId = localId;
    }

    /** Who is told the record bytes sent per topic; {@link TrafficObserver#NONE} by default. */
    public void observeTraffic(TrafficObserver observer) {
        this.traffic = observer == null ? TrafficObserver.NONE : observer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    /** A partition fetched and its answer; {@code request} is null when it is answered without reading. */
    private record Entry(SessionPartition wanted, PartitionData response, FetchRequestPartition request) {
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, FetchRequest request) {
        FetchRequestData data = request.data();
        boolean byTopicId = context.apiVersion() >= 13;
        boolean readCommitted = data.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        List<SessionPartition> named = named(data, byTopicId);
        FetchContext session = sessions.newContext(data.sessionId(), data.sessionEpoch(), byTopicId, named,
                forgotten(data, byTopicId));
        if (session.kind() == FetchContext.Kind.FAILED) {
            return CompletableFuture.completedFuture(FetchResponse.of(new FetchResponseData()
                    .setErrorCode(session.error().code()).setSessionId(FetchMetadata.INVALID_SESSION_ID)));
        }
        List<SessionPartition> wanted = session.kind() == FetchContext.Kind.INCREMENTAL ? session.session().partitions()
                : named;
        int replicaId = FetchRequest.isConsumer(request.replicaId()) ? -1 : request.replicaId();
        // Kafka's rule: a consumer that sends its client metadata (v11+) may read from followers.
        boolean withClientMetadata = replicaId < 0 && context.apiVersion() >= 11;
        ReadReplicaChooser chooser = withClientMetadata && readReplicas.mayChooseFor(data.rackId())
                ? new ReadReplicaChooser(context, data.rackId()) : null;
        List<Optional<TopicInfo>> topicsWanted = new ArrayList<>(wanted.size());
        for (SessionPartition partition : wanted) {
            topicsWanted.add(byTopicId ? topics.topic(partition.topicId()) : topics.topic(partition.topic()));
        }
        Predicate<String> readable = readableTopics(context, request, wanted, topicsWanted);
        List<Entry> entries = new ArrayList<>(wanted.size());
        for (int i = 0; i < wanted.size(); i++) {
            SessionPartition fetchPartition = wanted.get(i);
            Optional<TopicInfo> topic = topicsWanted.get(i);
            PartitionData response = new PartitionData().setPartitionIndex(fetchPartition.partition())
                    .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
                    .setAbortedTransactions(readCommitted ? List.of() : null);
            FetchRequestPartition read = null;
            if (byTopicId && topic.isEmpty()) {
                response.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code());
            } else if (!readable.test(topic.map(TopicInfo::name).orElse(fetchPartition.topic()))) {
                response.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            } else if (topic.isEmpty()) {
                response.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            } else if (isElsewhere(topic.get(), fetchPartition.partition())
                    || replicaId >= 0 && !isFollower(topic.get(), fetchPartition.partition(), replicaId)) {
                // A replica fetch from a broker that holds no replica of the partition is not one.
                response.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
            } else if (chooser != null && chooser.redirect(response, topic.get(), fetchPartition)) {
                // Told where to read instead: no records from here.
                response.setRecords(MemoryRecords.EMPTY);
            } else {
                read = new FetchRequestPartition(new TopicPartition(topic.get().name(), fetchPartition.partition()),
                        fetchPartition.fetchOffset(), fetchPartition.maxBytes(), fetchPartition.currentLeaderEpoch());
            }
            entries.add(new Entry(fetchPartition, response, read));
        }
        List<Entry> reads = entries.stream().filter(entry -> entry.request() != null).toList();
        if (reads.isEmpty()) {
            return CompletableFuture.completedFuture(respond(session, entries, byTopicId, replicaId >= 0));
        }
        List<FetchRequestPartition> requests = reads.stream().map(Entry::request).toList();
        TrafficObserver observer = traffic;
        // A follower's broker epoch (v15+; -1 before, as in Kafka) goes with its log end into the leader's ISR proposals.
        long replicaEpoch = replicaId >= 0 ? request.replicaEpoch() : -1;
        return partitions.fetch(requests, data.minBytes(), data.maxBytes(), data.maxWaitMs(), replicaId, replicaEpoch,
                !withClientMetadata, readCommitted).thenApply(results -> {
            for (int i = 0; i < results.size(); i++) {
                FetchResultPartition result = results.get(i);
                int bytes = result.records().sizeInBytes();
                if (bytes > 0 && replicaId < 0) {
                    observer.fetched(result.topicPartition().topic(), bytes, result.records().recordCount());
                }
                reads.get(i).response().setErrorCode(result.error().code())
                        .setHighWatermark(result.highWatermark())
                        .setLastStableOffset(result.lastStableOffset())
                        .setLogStartOffset(result.logStartOffset())
                        .setRecords(result.records().isEmpty() ? MemoryRecords.EMPTY : result.records());
                if (readCommitted && result.abortedTransactions() != null) {
                    reads.get(i).response().setAbortedTransactions(result.abortedTransactions().stream()
                            .map(txn -> new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId())
                                    .setFirstOffset(txn.firstOffset()))
                            .toList());
                }
            }
            return respond(session, entries, byTopicId, replicaId >= 0);
        });
    }

    /**
     * The answer: every partition for a full fetch, which opens a session when asked to and there is room;
     * for an incremental one only the partitions with something new (records, an error, a new high
     * watermark or log start offset, a read replica to go to). Partitions of one topic in a row share a
     * topic entry.
     */
    private FetchResponse respond(FetchContext session, List<Entry> entries, boolean byTopicId, boolean follower) {
        int sessionId = FetchMetadata.INVALID_SESSION_ID;
        List<Entry> answered = entries;
        if (session.kind() == FetchContext.Kind.NEW_SESSION) {
            FetchSession opened = sessions.create(byTopicId, entries.stream().map(Entry::wanted).toList(), follower);
            if (opened != null) {
                sessionId = opened.id();
                entries.forEach(entry -> answer(opened, entry));
            }
        } else if (session.kind() == FetchContext.Kind.INCREMENTAL) {
            sessionId = session.session().id();
            answered = entries.stream().filter(entry -> answer(session.session(), entry)).toList();
        }
        List<FetchableTopicResponse> topicResponses = new ArrayList<>();
        FetchableTopicResponse current = null;
        for (Entry entry : answered) {
            SessionPartition wanted = entry.wanted();
            if (current == null || !current.topicId().equals(wanted.topicId()) || !current.topic().equals(wanted.topic())) {
                current = new FetchableTopicResponse().setTopic(byTopicId ? "" : wanted.topic())
                        .setTopicId(byTopicId ? wanted.topicId() : Uuid.ZERO_UUID).setPartitions(new ArrayList<>());
                topicResponses.add(current);
            }
            current.partitions().add(entry.response());
        }
        return FetchResponse.of(new FetchResponseData().setSessionId(sessionId).setResponses(topicResponses));
    }

    private static boolean answer(FetchSession session, Entry entry) {
        PartitionData response = entry.response();
        int bytes = response.records() == null ? 0 : response.records().sizeInBytes();
        return session.answer(entry.wanted(), bytes, response.errorCode(), response.highWatermark(),
                response.logStartOffset(), response.preferredReadReplica() >= 0);
    }

    /** The partitions the request names, with where to read them from. */
    private static List<SessionPartition> named(FetchRequestData data, boolean byTopicId) {
        List<SessionPartition> named = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                named.add(new SessionPartition(byTopicId ? topic.topicId() : Uuid.ZERO_UUID, byTopicId ? "" : topic.topic(),
                        partition.partition(), partition.fetchOffset(), partition.partitionMaxBytes(),
                        partition.currentLeaderEpoch()));
            }
        }
        return named;
    }

    /** The partitions an incremental request asks to leave its session. */
    private static List<FetchSession.Key> forgotten(FetchRequestData data, boolean byTopicId) {
        List<FetchSession.Key> forgotten = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : data.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                forgotten.add(new FetchSession.Key(byTopicId ? topic.topicId() : Uuid.ZERO_UUID,
                        byTopicId ? "" : topic.topic(), partition));
            }
        }
        return forgotten;
    }

    /**
     * The topics this fetch may read: all of them for a follower with CLUSTER_ACTION, none for one
     * without, and for a consumer those it may READ, asked in one call (counted per partition). An
     * incremental fetch is authorized for every partition of its session, each time.
     */
    private Predicate<String> readableTopics(RequestContext context, FetchRequest request, List<SessionPartition> wanted,
            List<Optional<TopicInfo>> topicsWanted) {
        if (!authorization.isEnabled()) {
            return name -> true;
        }
        if (request.isFromFollower()) {
            boolean replicating = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
            return name -> replicating;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Optional<String> name = topicsWanted.get(i).map(TopicInfo::name);
            if (name.isPresent()) {
                names.add(name.get());
            } else if (!wanted.get(i).topic().isEmpty()) {
                names.add(wanted.get(i).topic());
            }
        }
        return authorization.filter(context, AclOperation.READ, ResourceType.TOPIC, names);
    }

    /** The replica choice for one consumer fetch, with the live brokers looked up once. */
    private final class ReadReplicaChooser {
        private final ClientMetadata client;
        private final RequestContext context;
        private Map<Integer, Node> endpoints;

        ReadReplicaChooser(RequestContext context, String rackId) {
            this.context = context;
            this.client = new DefaultClientMetadata(rackId == null ? "" : rackId, context.clientId(), context.clientAddress(),
                    context.principal(), context.listenerName());
        }

        /** Sets the preferred read replica when the leader here chooses another one; returns whether it did. */
        boolean redirect(PartitionData response, TopicInfo topic, SessionPartition fetchPartition) {
            Optional<Partition> partition = partitions.partition(new TopicPartition(topic.name(), fetchPartition.partition()));
            if (partition.isEmpty() || partition.get().checkLeaderEpoch(fetchPartition.currentLeaderEpoch()) != Errors.NONE) {
                return false;
            }
            if (endpoints == null) {
                endpoints = new HashMap<>();
                for (BrokerEndpoint live : topics.liveBrokers(context.listenerName())) {
                    endpoints.put(live.nodeId(), new Node(live.nodeId(), live.host(), live.port(), live.rack()));
                }
            }
            OptionalInt chosen = readReplicas.choose(partition.get(), fetchPartition.fetchOffset(), client, endpoints, localId);
            if (chosen.isEmpty()) {
                return false;
            }
            var log = partition.get().log();
            response.setPreferredReadReplica(chosen.getAsInt()).setHighWatermark(log.highWatermark())
                    .setLastStableOffset(partition.get().lastStableOffset()).setLogStartOffset(log.logStartOffset());
            return true;
        }
    }

    private boolean isFollower(TopicInfo topic, int index, int replicaId) {
        return partitions.partition(new TopicPartition(topic.name(), index)).map(p -> p.isFollower(replicaId)).orElse(false);
    }

    /** A partition of the topic that has no replica on this broker: the client's metadata is stale. */
    private boolean isElsewhere(TopicInfo topic, int index) {
        return index >= 0 && index < topic.partitionCount()
                && partitions.partition(new TopicPartition(topic.name(), index)).isEmpty();
    }
}
