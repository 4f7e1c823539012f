package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBrokerCollection;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopicCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata, answered from this broker's replica of the cluster metadata: the live brokers, the cluster id and controller, and the requested topics (all of them for
 * a null list) with their ids, partitions, leaders, leader epochs, replicas and ISR. Unknown topics
 * are created when both the broker ({@code auto.create.topics.enable}) and the client allow it.
 *
 * <p>As in Kafka, the principal sees only the topics it may DESCRIBE: the others are left out of the
 * all-topics listing and answered TOPIC_AUTHORIZATION_FAILED when named, so that their existence
 * does not leak; creating a topic also takes CREATE, on the cluster or on the topic.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest> {

    private static final int OPERATIONS_NOT_REQUESTED = RequestAuthorization.OPERATIONS_NOT_REQUESTED;

    private final LocalBroker broker;
    private final TopicManager topics;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;
    private final RequestAuthorization authorization;

    public MetadataHandler(LocalBroker broker, TopicManager topics, boolean autoCreateTopics, int defaultPartitions,
            int defaultReplicationFactor, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.broker = broker;
        this.topics = topics;
        this.autoCreateTopics = autoCreateTopics;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, MetadataRequest request) {
        MetadataRequestData data = request.data();
        MetadataResponseTopicCollection responseTopics = new MetadataResponseTopicCollection();
        // Answers for the topics the principal may describe; their authorized operations are added below.
        List<MetadataResponseTopic> described = new ArrayList<>();
        if (request.isAllTopics()) {
            List<TopicInfo> all = List.copyOf(topics.store().topics());
            // Listing everything is no attempt on a topic the principal cannot see: not audited.
            Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                    all, TopicInfo::name, true, false);
            for (TopicInfo topic : all) {
                if (describable.test(topic.name())) {
                    described.add(describe(topic));
                }
            }
        } else {
            boolean allowAutoCreate = autoCreateTopics && (context.apiVersion() < 4 || data.allowAutoTopicCreation());
            describeRequested(context, data.topics(), allowAutoCreate, described, responseTopics);
        }
        boolean topicOperations = context.apiVersion() >= 8 && data.includeTopicAuthorizedOperations();
        for (MetadataResponseTopic topic : described) {
            if (topicOperations) {
                topic.setTopicAuthorizedOperations(authorization.authorizedOperations(context, ResourceType.TOPIC,
                        topic.name()));
            }
            responseTopics.add(topic);
        }
        MetadataResponseData response = new MetadataResponseData()
                .setBrokers(brokers(context.listenerName()))
                .setClusterId(broker.clusterId())
                .setControllerId(topics.store().controllerId())
                .setTopics(responseTopics)
                .setClusterAuthorizedOperations(clusterAuthorizedOperations(context, data));
        return CompletableFuture.completedFuture(new MetadataResponse(response, context.apiVersion()));
    }

    /** Asked for in v8-10 only; 0 for a principal that may not describe the cluster, as in Kafka. */
    private int clusterAuthorizedOperations(RequestContext context, MetadataRequestData data) {
        if (context.apiVersion() < 8 || context.apiVersion() > 10 || !data.includeClusterAuthorizedOperations()) {
            return RequestAuthorization.OPERATIONS_NOT_REQUESTED;
        }
        return authorization.authorizeCluster(context, AclOperation.DESCRIBE)
                ? authorization.clusterAuthorizedOperations(context) : 0;
    }

    /**
     * Answers the topics asked for by name or id: those the principal may not describe get
     * TOPIC_AUTHORIZATION_FAILED whether they exist or not (by name without their id, which would
     * tell), and an unknown one is created only if it may also CREATE it, on the cluster or on the topic.
     */
    private void describeRequested(RequestContext context, List<MetadataRequestData.MetadataRequestTopic> requested,
            boolean allowAutoCreate, List<MetadataResponseTopic> described, MetadataResponseTopicCollection refused) {
        List<String> names = new ArrayList<>(requested.size());
        boolean[] byId = new boolean[requested.size()];
        for (int i = 0; i < requested.size(); i++) {
            MetadataRequestData.MetadataRequestTopic topic = requested.get(i);
            Uuid id = topic.topicId() == null ? Uuid.ZERO_UUID : topic.topicId();
            // Asked by id (v10+): kafka-clients then leaves the name at its default "", not null.
            byId[i] = !id.equals(Uuid.ZERO_UUID) || topic.name() == null;
            if (byId[i]) {
                Optional<TopicInfo> found = topics.store().topic(id);
                if (found.isEmpty()) {
                    refused.add(new MetadataResponseTopic().setTopicId(id).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                            .setTopicAuthorizedOperations(OPERATIONS_NOT_REQUESTED));
                }
                names.add(found.map(TopicInfo::name).orElse(null));
            } else {
                names.add(topic.name());
            }
        }
        List<String> known = names.stream().filter(Objects::nonNull).toList();
        Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, known);
        Predicate<String> creatable = allowAutoCreate ? creatableTopics(context, known, describable) : name -> false;
        for (int i = 0; i < requested.size(); i++) {
            String name = names.get(i);
            if (name == null) {
                continue;
            }
            if (!describable.test(name)) {
                // Topic ids are not secret; a name's existence is.
                refused.add(new MetadataResponseTopic().setName(byId[i] ? null : name)
                        .setTopicId(byId[i] ? requested.get(i).topicId() : Uuid.ZERO_UUID)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setTopicAuthorizedOperations(OPERATIONS_NOT_REQUESTED));
            } else if (byId[i]) {
                topics.store().topic(name).map(this::describe).ifPresent(described::add);
            } else if (allowAutoCreate && topics.store().topic(name).isEmpty() && !creatable.test(name)) {
                refused.add(new MetadataResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID)
                        .setIsInternal(Topic.isInternal(name)).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setTopicAuthorizedOperations(OPERATIONS_NOT_REQUESTED));
            } else {
                described.add(describeByName(name, allowAutoCreate));
            }
        }
    }

    /** Which unknown topics the principal may create: all, with CREATE on the cluster, else those it may CREATE. */
    private Predicate<String> creatableTopics(RequestContext context, List<String> names, Predicate<String> describable) {
        List<String> unknown = names.stream().filter(describable).filter(name -> topics.store().topic(name).isEmpty())
                .toList();
        // CREATE on the cluster is the usual grant and its absence no attempt: only the per-topic check is audited.
        if (unknown.isEmpty() || authorization.authorizeCluster(context, AclOperation.CREATE, true, false)) {
            return name -> true;
        }
        return authorization.filter(context, AclOperation.CREATE, ResourceType.TOPIC, unknown);
    }

    private MetadataResponseTopic describeByName(String name, boolean allowAutoCreate) {
        Optional<TopicInfo> topic = topics.store().topic(name);
        if (topic.isPresent()) {
            return describe(topic.get());
        }
        Errors error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
        try {
            io.tributary.broker.metadata.TopicStore.validateName(name);
            if (allowAutoCreate) {
                return describe(topics.createTopic(name, defaultPartitions, defaultReplicationFactor, Map.of(), false));
            }
        } catch (MetadataException e) {
            if (e.error() == Errors.TOPIC_ALREADY_EXISTS) {
                return topics.store().topic(name).map(this::describe).orElseThrow();
            }
            error = e.error();
        }
        return new MetadataResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID).setErrorCode(error.code())
                .setTopicAuthorizedOperations(OPERATIONS_NOT_REQUESTED);
    }

    private MetadataResponseTopic describe(TopicInfo topic) {
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitionCount());
        Set<Integer> live = topics.store().liveBrokers().stream().map(BrokerEndpoint::nodeId).collect(Collectors.toSet());
        for (int index = 0; index < topic.partitionCount(); index++) {
            Optional<PartitionState> found = topics.store().partition(topic.name(), index);
            if (found.isEmpty()) {
                continue; // the topic changed while it was being described
            }
            PartitionState state = found.get();
            boolean leaderless = state.leader() == PartitionState.NO_LEADER;
            partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(index)
                    .setErrorCode((leaderless ? Errors.LEADER_NOT_AVAILABLE : Errors.NONE).code())
                    .setLeaderId(state.leader())
                    .setLeaderEpoch(state.leaderEpoch())
                    .setReplicaNodes(state.replicas())
                    .setIsrNodes(state.isr())
                    .setOfflineReplicas(state.replicas().stream().filter(r -> !live.contains(r)).toList()));
        }
        return new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.id())
                .setIsInternal(topic.isInternal())
                .setErrorCode(Errors.NONE.code())
                .setPartitions(partitions)
                .setTopicAuthorizedOperations(OPERATIONS_NOT_REQUESTED);
    }

    /** The live brokers as reached on the listener the client connected to. */
    private MetadataResponseBrokerCollection brokers(String listenerName) {
        MetadataResponseBrokerCollection brokers = new MetadataResponseBrokerCollection();
        for (BrokerEndpoint live : topics.store().liveBrokers(listenerName)) {
            brokers.add(new MetadataResponseBroker().setNodeId(live.nodeId()).setHost(live.host()).setPort(live.port())
                    .setRack(live.rack()));
        }
        return brokers;
    }
}
