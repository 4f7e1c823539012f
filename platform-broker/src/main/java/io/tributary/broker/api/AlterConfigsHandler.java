package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AlterConfigs, the older, non-incremental API that several client libraries and tools still use: each
 * resource's configs are replaced as a whole, so a config not given is removed (its default applies
 * again). For topics, for the dynamic broker configs of this broker or the cluster-wide defaults
 * (empty name), and for groups. {@code validateOnly} checks and changes nothing. As in Kafka, altering takes
 * ALTER_CONFIGS on the topic (else TOPIC_AUTHORIZATION_FAILED), for a broker on the cluster (else
 * CLUSTER_AUTHORIZATION_FAILED), for a group on the group (else GROUP_AUTHORIZATION_FAILED), and a
 * resource named twice is refused both times.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest> {

    private final TopicManager topics;
    private final BrokerConfigs brokerConfigs;
    private final GroupConfigs groupConfigs;
    private final RequestAuthorization authorization;

    public AlterConfigsHandler(TopicManager topics, BrokerConfigs brokerConfigs, GroupConfigs groupConfigs,
            RequestAuthorization authorization) {
        this.topics = topics;
        this.brokerConfigs = brokerConfigs;
        this.groupConfigs = groupConfigs;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AlterConfigsRequest request) {
        Map<String, Integer> counts = new HashMap<>();
        for (AlterConfigsResource resource : request.data().resources()) {
            counts.merge(key(resource), 1, Integer::sum);
        }
        List<AlterConfigsResourceResponse> responses = new ArrayList<>();
        for (AlterConfigsResource resource : request.data().resources()) {
            AlterConfigsResourceResponse response = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            try {
                if (counts.get(key(resource)) > 1) {
                    throw new MetadataException(Errors.INVALID_REQUEST, "Each resource must appear at most once.");
                }
                alter(context, resource, request.data().validateOnly());
                response.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
            } catch (MetadataException e) {
                response.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            responses.add(response);
        }
        return CompletableFuture.completedFuture(new CountedAlterConfigsResponse(new AlterConfigsResponseData()
                .setResponses(responses)));
    }

    /**
     * kafka-clients counts an AlterConfigs response's errors through a map by resource, which fails on a
     * resource named twice — answered twice, as Kafka does; this counts each answer.
     */
    private static final class CountedAlterConfigsResponse extends AlterConfigsResponse {

        CountedAlterConfigsResponse(AlterConfigsResponseData data) {
            super(data);
        }

        @Override
        public Map<Errors, Integer> errorCounts() {
            return errorCounts(data().responses().stream().map(response -> Errors.forCode(response.errorCode())));
        }
    }

    private static String key(AlterConfigsResource resource) {
        return resource.resourceType() + "/" + resource.resourceName();
    }

    private void alter(RequestContext context, AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        String name = resource.resourceName();
        if (type == ConfigResource.Type.TOPIC) {
            if (!authorization.authorize(context, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, name)) {
                throw new MetadataException(Errors.TOPIC_AUTHORIZATION_FAILED, Errors.TOPIC_AUTHORIZATION_FAILED.message());
            }
            Map<String, String> configs = configs(resource);
            if (topics.store().topic(name).isEmpty()) {
                throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
            }
            topics.replaceConfigs(name, configs, validateOnly);
        } else if (type == ConfigResource.Type.BROKER) {
            if (!authorization.authorizeCluster(context, AclOperation.ALTER_CONFIGS)) {
                throw new MetadataException(Errors.CLUSTER_AUTHORIZATION_FAILED, Errors.CLUSTER_AUTHORIZATION_FAILED.message());
            }
            Map<String, String> configs = configs(resource);
            brokerConfigs.replace(name, configs, validateOnly);
        } else if (type == ConfigResource.Type.GROUP) {
            if (!authorization.authorize(context, AclOperation.ALTER_CONFIGS, ResourceType.GROUP, name)) {
                throw new MetadataException(Errors.GROUP_AUTHORIZATION_FAILED, Errors.GROUP_AUTHORIZATION_FAILED.message());
            }
            groupConfigs.replace(name, configs(resource), validateOnly);
        } else {
            throw new MetadataException(Errors.INVALID_REQUEST, "Unknown resource type " + resource.resourceType());
        }
    }

    /** The new configs of a resource, after Kafka's checks of the request itself. */
    private static Map<String, String> configs(AlterConfigsResource resource) {
        Map<String, String> configs = new HashMap<>();
        Set<String> nullValues = new HashSet<>();
        for (AlterableConfig config : resource.configs()) {
            if (configs.containsKey(config.name()) || nullValues.contains(config.name())) {
                throw new MetadataException(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
            }
            if (config.value() == null) {
                nullValues.add(config.name());
            } else {
                configs.put(config.name(), config.value());
            }
        }
        if (!nullValues.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Null value not supported for : "
                    + String.join(", ", new java.util.TreeSet<>(nullValues)));
        }
        return configs;
    }
}
