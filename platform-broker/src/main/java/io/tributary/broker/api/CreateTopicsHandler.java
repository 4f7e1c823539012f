package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.ReplicaAssignment;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResultCollection;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreateTopics: partitions (or an explicit assignment), replication factor, configs, and
 * validate-only; the answer carries the new topic's id and its effective configs (v5+).
 *
 * <p>As in Kafka, creating takes CREATE on the cluster or on the topic (else TOPIC_AUTHORIZATION_FAILED),
 * and the configs, partition count and replication factor are told only to a principal that may
 * DESCRIBE_CONFIGS the topic (else its config error is TOPIC_AUTHORIZATION_FAILED).
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequest> {

    private final TopicManager topics;
    private final int defaultPartitions;
    private final short defaultReplicationFactor;
    private final RequestAuthorization authorization;

    public CreateTopicsHandler(TopicManager topics, int defaultPartitions,
            short defaultReplicationFactor, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.topics = topics;
        this.defaultPartitions = defaultPartitions;
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, CreateTopicsRequest request) {
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : request.data().topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        List<String> unique = seen.stream().filter(name -> !duplicates.contains(name)).toList();
        // CREATE on the cluster is the usual grant and its absence no attempt: only the per-topic check is audited.
        Predicate<String> creatable = authorization.authorizeCluster(context, AclOperation.CREATE, true, false)
                ? name -> true : authorization.filter(context, AclOperation.CREATE, ResourceType.TOPIC, unique);
        Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC,
                unique, true, false);
        CreatableTopicResultCollection results = new CreatableTopicResultCollection();
        for (CreatableTopic topic : request.data().topics()) {
            if (results.find(topic.name()) != null) {
                continue;
            }
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name()).setTopicId(Uuid.ZERO_UUID)
                    .setNumPartitions(-1).setReplicationFactor((short) -1);
            if (duplicates.contains(topic.name())) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Create topics request from client `" + context.clientId()
                                + "` contains multiple entries for the following topics: " + topic.name());
            } else if (!creatable.test(topic.name())) {
                result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage("Authorization failed.");
            } else {
                create(topic, request.data().validateOnly(), context.apiVersion(), result);
                if (result.errorCode() == Errors.NONE.code() && context.apiVersion() >= 5 && !describable.test(topic.name())) {
                    result.setNumPartitions(-1).setReplicationFactor((short) -1).setConfigs(new ArrayList<>())
                            .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                }
            }
            results.add(result);
        }
        return CompletableFuture.completedFuture(new CreateTopicsResponse(new CreateTopicsResponseData().setTopics(results)));
    }

    private void create(CreatableTopic topic, boolean validateOnly, short version, CreatableTopicResult result) {
        try {
            int partitionCount = topic.numPartitions();
            short replicationFactor = topic.replicationFactor();
            List<List<Integer>> assignments = assignments(topic);
            if (!assignments.isEmpty()) {
                partitionCount = assignments.size();
                replicationFactor = (short) assignments.get(0).size();
            }
            if (partitionCount == -1) {
                partitionCount = defaultPartitions;
            }
            if (replicationFactor == -1) {
                replicationFactor = defaultReplicationFactor;
            }
            Map<String, String> overrides = new HashMap<>();
            for (CreatableTopicConfig config : topic.configs()) {
                if (config.value() == null) {
                    throw new MetadataException(Errors.INVALID_CONFIG, "Null value not supported for topic configs: "
                            + config.name());
                }
                overrides.put(config.name(), config.value());
            }
            TopicInfo created = topics.createTopic(topic.name(), partitionCount, replicationFactor, assignments, overrides,
                    validateOnly);
            result.setErrorCode(Errors.NONE.code()).setTopicId(created.id()).setNumPartitions(partitionCount)
                    .setReplicationFactor(replicationFactor);
            if (version >= 5) {
                result.setConfigs(describe(overrides));
            }
        } catch (MetadataException e) {
            result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }

    /**
     * The replicas of a manual assignment, partition by partition, in the shape Kafka's controller
     * accepts: replication factor and partition count left to it (-1), each partition once, indexes
     * 0..n-1. Which brokers they name is checked when the topic is created. Empty without one.
     */
    private static List<List<Integer>> assignments(CreatableTopic topic) {
        if (topic.assignments().isEmpty()) {
            return List.of();
        }
        if (topic.replicationFactor() != -1) {
            throw new MetadataException(Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but replication factor was not set to -1.");
        }
        if (topic.numPartitions() != -1) {
            throw new MetadataException(Errors.INVALID_REQUEST,
                    "A manual partition assignment was specified, but numPartitions was not set to -1.");
        }
        Map<Integer, List<Integer>> byIndex = new TreeMap<>();
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            if (byIndex.put(assignment.partitionIndex(), assignment.brokerIds()) != null) {
                throw ReplicaAssignment.invalid("Found multiple manual partition assignments for partition "
                        + assignment.partitionIndex());
            }
        }
        for (int index = 0; index < byIndex.size(); index++) {
            if (!byIndex.containsKey(index)) {
                throw ReplicaAssignment.invalid("partitions should be a consecutive 0-based integer sequence");
            }
        }
        return List.copyOf(byIndex.values());
    }

    private List<CreatableTopicConfigs> describe(Map<String, String> overrides) {
        TopicConfigs configs = topics.configs();
        List<CreatableTopicConfigs> entries = new ArrayList<>();
        for (TopicConfigs.Definition definition : configs.definitions()) {
            boolean overridden = overrides.containsKey(definition.name());
            entries.add(new CreatableTopicConfigs().setName(definition.name())
                    .setValue(configs.effectiveValue(overrides, definition.name()))
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource((overridden ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG).id()));
        }
        return entries;
    }
}
