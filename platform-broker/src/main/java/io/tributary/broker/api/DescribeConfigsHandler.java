package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.MetadataException;
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
 * defaults, or as the broker's where a dynamic broker config sets them) and this broker's configs: the
 * static ones read-only, the dynamic ones with the source of their value (per broker, cluster-wide
 * default, static, Kafka's default); the empty broker name shows the cluster-wide dynamic defaults; and a
 * group's configs, its own or the defaults, whether the group exists or not. As in Kafka, a topic's take
 * DESCRIBE_CONFIGS on the topic (else TOPIC_AUTHORIZATION_FAILED), the broker's on the cluster (else
 * CLUSTER_AUTHORIZATION_FAILED), a group's on the group (else GROUP_AUTHORIZATION_FAILED).
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest> {

    private final TopicManager topics;
    private final LocalBroker broker;
    private final BrokerConfigs brokerConfigs;
    private final GroupConfigs groupConfigs;
    private final RequestAuthorization authorization;

    public DescribeConfigsHandler(TopicManager topics, LocalBroker broker, BrokerConfigs brokerConfigs,
            GroupConfigs groupConfigs, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.topics = topics;
        this.broker = broker;
        this.brokerConfigs = brokerConfigs;
        this.groupConfigs = groupConfigs;
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
                    describeBroker(resource, result, synonyms, documentation);
                } else {
                    refuse(result, Errors.CLUSTER_AUTHORIZATION_FAILED);
                }
            } else if (type == ConfigResource.Type.GROUP) {
                if (authorization.authorize(context, AclOperation.DESCRIBE_CONFIGS, ResourceType.GROUP, resource.resourceName())) {
                    describeGroup(resource, result, synonyms, documentation);
                } else {
                    refuse(result, Errors.GROUP_AUTHORIZATION_FAILED);
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
            // The topic's own value, then what applies without it: the broker's, for a dynamic broker config.
            List<BrokerConfigs.Sourced> values = new ArrayList<>();
            if (overrides.containsKey(definition.name())) {
                values.add(new BrokerConfigs.Sourced(overrides.get(definition.name()), ConfigSource.TOPIC_CONFIG));
            }
            if (BrokerConfigs.isDynamic(definition.name())) {
                values.addAll(brokerConfigs.resolve(definition.name()));
            } else {
                values.add(new BrokerConfigs.Sourced(definition.defaultValue(), ConfigSource.DEFAULT_CONFIG));
            }
            result.configs().add(entry(new BrokerConfigs.Described(definition.name(), definition.type(), false, values,
                    definition.documentation()), synonyms, documentation));
        }
        result.setErrorCode(Errors.NONE.code());
    }

    private void describeBroker(DescribeConfigsResource resource, DescribeConfigsResult result, boolean synonyms,
            boolean documentation) {
        String name = resource.resourceName();
        if (!name.isEmpty() && !name.equals(Integer.toString(broker.nodeId()))) {
            result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Unexpected broker id, expected " + broker.nodeId() + " or empty string, but received " + name);
            return;
        }
        for (BrokerConfigs.Described config : brokerConfigs.describe(name)) {
            if (requested(resource, config.name())) {
                result.configs().add(entry(withBoundPorts(config), synonyms, documentation));
            }
        }
        result.setErrorCode(Errors.NONE.code());
    }

    private void describeGroup(DescribeConfigsResource resource, DescribeConfigsResult result, boolean synonyms,
            boolean documentation) {
        try {
            for (BrokerConfigs.Described config : groupConfigs.describe(resource.resourceName())) {
                if (requested(resource, config.name())) {
                    result.configs().add(entry(config, synonyms, documentation));
                }
            }
            result.setErrorCode(Errors.NONE.code());
        } catch (MetadataException e) {
            result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }

    /** The listeners' configs with the ports they bound: a port is known only then (port 0 picks one). */
    private BrokerConfigs.Described withBoundPorts(BrokerConfigs.Described config) {
        String value = switch (config.name()) {
            case "listeners" -> broker.listeners().size() == 1 ? config.value().replaceAll(":\\d+$", ":" + broker.port())
                    : config.value();
            case "advertised.listeners" -> String.join(",", broker.listeners().stream().map(Object::toString).toList());
            default -> config.value();
        };
        return value.equals(config.value()) ? config : new BrokerConfigs.Described(config.name(), config.type(),
                config.readOnly(), List.of(new BrokerConfigs.Sourced(value, config.source())), config.documentation());
    }

    private static DescribeConfigsResourceResult entry(BrokerConfigs.Described config, boolean synonyms,
            boolean documentation) {
        DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult().setName(config.name())
                .setValue(config.value())
                .setReadOnly(config.readOnly())
                .setIsSensitive(false)
                .setConfigSource(config.source().id())
                .setConfigType(config.type().id())
                .setDocumentation(documentation ? config.documentation() : null)
                .setSynonyms(new ArrayList<>());
        if (synonyms) {
            for (BrokerConfigs.Sourced value : config.synonyms()) {
                entry.synonyms().add(new DescribeConfigsSynonym().setName(config.name()).setValue(value.value())
                        .setSource(value.source().id()));
            }
        }
        return entry;
    }

    private static boolean requested(DescribeConfigsResource resource, String name) {
        return resource.configurationKeys() == null || resource.configurationKeys().contains(name);
    }
}
