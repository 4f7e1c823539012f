package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * IncrementalAlterConfigs for topics — SET, DELETE, and APPEND/SUBTRACT on list configs such as
 * {@code cleanup.policy}; the new configs apply to the topic's live logs at once — and for the dynamic
 * broker configs of this broker or the cluster-wide defaults (empty name), which {@link BrokerConfigs}
 * validates; the other broker configs are fixed at start-up and refused as Kafka refuses its read-only
 * ones; and for a group's configs (SET and DELETE: none is a list), whether the group exists or not. As in
 * Kafka, altering takes ALTER_CONFIGS on the topic (else TOPIC_AUTHORIZATION_FAILED), for a broker on the
 * cluster (else CLUSTER_AUTHORIZATION_FAILED), for a group on the group (else GROUP_AUTHORIZATION_FAILED).
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequest> {

    private final TopicManager topics;
    private final BrokerConfigs brokerConfigs;
    private final GroupConfigs groupConfigs;
    private final RequestAuthorization authorization;

    public IncrementalAlterConfigsHandler(TopicManager topics, BrokerConfigs brokerConfigs, GroupConfigs groupConfigs,
            RequestAuthorization authorization) {
        this.topics = topics;
        this.brokerConfigs = brokerConfigs;
        this.groupConfigs = groupConfigs;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, IncrementalAlterConfigsRequest request) {
        boolean validateOnly = request.data().validateOnly();
        List<AlterConfigsResourceResponse> responses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (AlterConfigsResource resource : request.data().resources()) {
            AlterConfigsResourceResponse response = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            try {
                if (!seen.add(resource.resourceType() + "/" + resource.resourceName())) {
                    throw new MetadataException(Errors.INVALID_REQUEST, "Duplicate resource in request");
                }
                ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
                Errors refusal = refusal(context, type, resource.resourceName());
                if (refusal != Errors.NONE) {
                    throw new MetadataException(refusal, refusal.message());
                }
                if (type == ConfigResource.Type.TOPIC) {
                    alterTopic(resource, validateOnly);
                } else if (type == ConfigResource.Type.BROKER) {
                    alterBroker(resource, validateOnly);
                } else if (type == ConfigResource.Type.GROUP) {
                    alterGroup(resource, validateOnly);
                } else {
                    throw new MetadataException(Errors.INVALID_REQUEST, "Resource type " + type + " is not supported");
                }
                response.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
            } catch (MetadataException e) {
                response.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            responses.add(response);
        }
        return CompletableFuture.completedFuture(
                new IncrementalAlterConfigsResponse(new IncrementalAlterConfigsResponseData().setResponses(responses)));
    }

    private Errors refusal(RequestContext context, ConfigResource.Type type, String name) {
        return switch (type) {
            case TOPIC -> authorization.authorize(context, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, name)
                    ? Errors.NONE : Errors.TOPIC_AUTHORIZATION_FAILED;
            case BROKER -> authorization.authorizeCluster(context, AclOperation.ALTER_CONFIGS)
                    ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
            case GROUP -> authorization.authorize(context, AclOperation.ALTER_CONFIGS, ResourceType.GROUP, name)
                    ? Errors.NONE : Errors.GROUP_AUTHORIZATION_FAILED;
            default -> Errors.NONE;
        };
    }

    private void alterTopic(AlterConfigsResource resource, boolean validateOnly) {
        Optional<TopicInfo> topic = topics.store().topic(resource.resourceName());
        if (topic.isEmpty()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + resource.resourceName() + " does not exist.");
        }
        TopicConfigs configs = topics.configs();
        Map<String, String> overrides = new HashMap<>(topic.get().configs());
        Set<String> names = new HashSet<>();
        for (AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
            if (!configs.isKnown(config.name())) {
                throw new MetadataException(Errors.INVALID_CONFIG, "Unknown topic config name: " + config.name());
            }
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (op == null) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Unknown alter config operation " + config.configOperation());
            }
            boolean list = configs.definition(config.name()).type() == ConfigType.LIST;
            switch (op) {
                case SET -> overrides.put(config.name(), config.value());
                case DELETE -> overrides.remove(config.name());
                case APPEND, SUBTRACT -> {
                    if (!list) {
                        throw new MetadataException(Errors.INVALID_CONFIG, "Config value append is not allowed for config key: "
                                + config.name());
                    }
                    Set<String> values = new LinkedHashSet<>(items(configs.effectiveValue(overrides, config.name())));
                    if (op == AlterConfigOp.OpType.APPEND) {
                        values.addAll(items(config.value()));
                    } else {
                        values.removeAll(items(config.value()));
                    }
                    overrides.put(config.name(), String.join(",", values));
                }
            }
        }
        topics.replaceConfigs(resource.resourceName(), overrides, validateOnly);
    }

    /** Kafka's broker-side checks, then the resource's stored dynamic configs with the operations applied. */
    private void alterBroker(AlterConfigsResource resource, boolean validateOnly) {
        brokerConfigs.checkResource(resource.resourceName());
        Set<String> names = new HashSet<>();
        List<String> nullValues = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
            if (config.configOperation() != AlterConfigOp.OpType.DELETE.id() && config.value() == null) {
                nullValues.add(config.name());
            }
        }
        if (!nullValues.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nullValues));
        }
        Map<String, String> configs = new HashMap<>(brokerConfigs.dynamicConfigs(resource.resourceName()));
        for (AlterableConfig config : resource.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (op == null) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Unknown operations type " + config.configOperation());
            }
            switch (op) {
                case SET -> configs.put(config.name(), config.value());
                case DELETE -> configs.remove(config.name());
                // No dynamic broker config Tributary has is a list.
                case APPEND, SUBTRACT -> throw new MetadataException(Errors.INVALID_CONFIG,
                        "Config value append is not allowed for config key: " + config.name());
            }
        }
        brokerConfigs.replace(resource.resourceName(), configs, validateOnly);
    }

    /** The group's stored configs with the operations applied, then checked as a whole by {@link GroupConfigs}. */
    private void alterGroup(AlterConfigsResource resource, boolean validateOnly) {
        Map<String, String> configs = new HashMap<>(groupConfigs.overrides(resource.resourceName()));
        applyWithoutLists(resource, configs);
        groupConfigs.replace(resource.resourceName(), configs, validateOnly);
    }

    /**
     * Kafka's checks of the request itself, then SET and DELETE applied to {@code configs}; APPEND and
     * SUBTRACT are refused as Kafka's controller refuses them for a config that is not a list.
     */
    private static void applyWithoutLists(AlterConfigsResource resource, Map<String, String> configs) {
        Set<String> names = new HashSet<>();
        List<String> nullValues = new ArrayList<>();
        for (AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
            if (config.configOperation() != AlterConfigOp.OpType.DELETE.id() && config.value() == null) {
                nullValues.add(config.name());
            }
        }
        if (!nullValues.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Null value not supported for : " + String.join(", ", nullValues));
        }
        for (AlterableConfig config : resource.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            if (op == null) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Unknown operations type " + config.configOperation());
            }
            switch (op) {
                case SET -> configs.put(config.name(), config.value());
                case DELETE -> configs.remove(config.name());
                case APPEND, SUBTRACT -> throw new MetadataException(Errors.INVALID_CONFIG,
                        "Can't " + op + " to key " + config.name() + " because its type is not LIST.");
            }
        }
    }

    private static List<String> items(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }
}
