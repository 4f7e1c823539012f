package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.Uuid;
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

/**
 * Metadata, answered from this broker's replica of the cluster metadata: the live brokers, the cluster id and controller, and the requested topics (all of them for
 * a null list) with their ids, partitions, leaders, leader epochs, replicas and ISR. Unknown topics
 * are created when both the broker ({@code auto.create.topics.enable}) and the client allow it.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequest> {

    /** Kafka's marker for "authorized operations were not requested". */
    private static final int OPERATIONS_NOT_REQUESTED = Integer.MIN_VALUE;

    private final LocalBroker broker;
    private final TopicManager topics;
    private final boolean autoCreateTopics;
    private final int defaultPartitions;
    private final int defaultReplicationFactor;

    public MetadataHandler(LocalBroker broker, TopicManager topics, boolean autoCreateTopics, int defaultPartitions,
            int defaultReplicationFactor) {
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
        if (data.topics() == null) {
            for (TopicInfo topic : topics.store().topics()) {
                responseTopics.add(describe(topic));
            }
        } else {
            boolean allowAutoCreate = autoCreateTopics && (context.apiVersion() < 4 || data.allowAutoTopicCreation());
            for (MetadataRequestData.MetadataRequestTopic requested : data.topics()) {
                responseTopics.add(describeRequested(requested, allowAutoCreate));
            }
        }
        MetadataResponseData response = new MetadataResponseData()
                .setBrokers(brokers(context.listenerName()))
                .setClusterId(broker.clusterId())
                .setControllerId(topics.store().controllerId())
                .setTopics(responseTopics)
                .setClusterAuthorizedOperations(OPERATIONS_NOT_REQUESTED);
        return CompletableFuture.completedFuture(new MetadataResponse(response, context.apiVersion()));
    }

    private MetadataResponseTopic describeRequested(MetadataRequestData.MetadataRequestTopic requested,
            boolean allowAutoCreate) {
        String name = requested.name();
        Uuid id = requested.topicId() == null ? Uuid.ZERO_UUID : requested.topicId();
        // Asked by id (v10+): kafka-clients then leaves the name at its default "", not null.
        if (!id.equals(Uuid.ZERO_UUID) || name == null) {
            Optional<TopicInfo> byId = topics.store().topic(id);
            return byId.map(this::describe).orElseGet(() -> new MetadataResponseTopic()
                    .setTopicId(id).setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())
                    .setTopicAuthorizedOperations(OPERATIONS_NOT_REQUESTED));
        }
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
            brokers.add(new MetadataResponseBroker().setNodeId(live.nodeId()).setHost(live.host()).setPort(live.port()));
        }
        return brokers;
    }
}
