package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeConfigs: a topic's effective configs (its overrides marked as topic configs, the rest as
 * defaults) and this broker's configs, read-only. As in Kafka, a topic's take DESCRIBE_CONFIGS on the
 * topic (else TOPIC_AUTHORIZATION_FAILED), the broker's on the cluster (else CLUSTER_AUTHORIZATION_FAILED).
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest> {

    private final TopicManager topics;
    private final LocalBroker broker;
    private final Map<String, String> brokerConfigs;
    private final RequestAuthorization authorization;

    /**
     * @param brokerConfigs this broker's settings under Kafka's broker config names
     */
    public DescribeConfigsHandler(TopicManager topics, LocalBroker broker, Map<String, String> brokerConfigs,
            RequestAuthorization authorization) {
        this.authorization = authorization;
        this.topics = topics;
        this.broker = broker;
        this.brokerConfigs = Map.copyOf(brokerConfigs);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeConfigsRequest request) {
        boolean synonyms = request.data().includeSynonyms();
        boolean documentation = request.data().includeDocumentation();
        List<DescribeConfigsResult> results = new ArrayList<>();
        for (DescribeConfigsResource resource : request.data().resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName()).setConfigs(new ArrayList<>());
            ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
            if (type == ConfigResource.Type.TOPIC) {
                String name = resource.resourceName();
                if (authorization.authorize(context, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, name)) {
                    describeTopic(resource, result, synonyms, documentation);
                } else {
                    refuse(result, Errors.TOPIC_AUTHORIZATION_FAILED);
                }
            } else if (type == ConfigResource.Type.BROKER) {
                if (authorization.authorizeCluster(context, AclOperation.DESCRIBE_CONFIGS)) {
                    describeBroker(resource, result, documentation);
                } else {
                    refuse(result, Errors.CLUSTER_AUTHORIZATION_FAILED);
                }
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Resource type " + type + " is not supported by this broker");
            }
            results.add(result);
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponse(new DescribeConfigsResponseData().setResults(results)));
    }

    private static void refuse(DescribeConfigsResult result, Errors error) {
        result.setErrorCode(error.code()).setErrorMessage(error.message());
    }

    private void describeTopic(DescribeConfigsResource resource, DescribeConfigsResult result, boolean synonyms,
            boolean documentation) {
        Optional<TopicInfo> topic = topics.store().topic(resource.resourceName());
        if (topic.isEmpty()) {
            result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage("Topic " + resource.resourceName() + " does not exist.");
            return;
        }
        TopicConfigs configs = topics.configs();
        Map<String, String> overrides = topic.get().configs();
        for (TopicConfigs.Definition definition : configs.definitions()) {
            if (!requested(resource, definition.name())) {
                continue;
            }
            boolean overridden = overrides.containsKey(definition.name());
            DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult().setName(definition.name())
                    .setValue(configs.effectiveValue(overrides, definition.name()))
                    .setReadOnly(false)
                    .setIsSensitive(false)
                    .setConfigSource((overridden ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG).id())
                    .setConfigType(definition.type().id())
                    .setDocumentation(documentation ? definition.documentation() : null)
                    .setSynonyms(new ArrayList<>());
            if (synonyms) {
                if (overridden) {
                    entry.synonyms().add(new DescribeConfigsSynonym().setName(definition.name())
                            .setValue(overrides.get(definition.name())).setSource(ConfigSource.TOPIC_CONFIG.id()));
                }
                entry.synonyms().add(new DescribeConfigsSynonym().setName(definition.name())
                        .setValue(definition.defaultValue()).setSource(ConfigSource.DEFAULT_CONFIG.id()));
            }
            result.configs().add(entry);
        }
        result.setErrorCode(Errors.NONE.code());
    }

    private void describeBroker(DescribeConfigsResource resource, DescribeConfigsResult result, boolean documentation) {
        String name = resource.resourceName();
        if (!name.isEmpty() && !name.equals(Integer.toString(broker.nodeId()))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Unexpected broker id, expected " + broker.nodeId() + " or empty string, but received " + name);
            return;
        }
        Map<String, String> configs = new java.util.TreeMap<>(brokerConfigs);
        // A port is known only once its listener is bound (port 0 picks one).
        if (broker.listeners().size() == 1) {
            configs.computeIfPresent("listeners", (key, value) -> value.replaceAll(":\\d+$", ":" + broker.port()));
        }
        configs.computeIfPresent("advertised.listeners", (key, value) -> String.join(",",
                broker.listeners().stream().map(Object::toString).toList()));
        configs.entrySet().stream()
                .filter(config -> requested(resource, config.getKey()))
                .forEach(config -> result.configs().add(new DescribeConfigsResourceResult().setName(config.getKey())
                        .setValue(config.getValue())
                        .setReadOnly(true)
                        .setIsSensitive(false)
                        .setConfigSource(ConfigSource.STATIC_BROKER_CONFIG.id())
                        .setConfigType(ConfigType.STRING.id())
                        .setDocumentation(documentation ? "Set through tributary.broker.* properties" : null)
                        .setSynonyms(new ArrayList<>())));
        result.setErrorCode(Errors.NONE.code());
    }

    private static boolean requested(DescribeConfigsResource resource, String name) {
        return resource.configurationKeys() == null || resource.configurationKeys().contains(name);
    }
}
