package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ListConfigResourcesResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListConfigResourcesRequest;
import org.apache.kafka.common.requests.ListConfigResourcesResponse;

/**
 * ListConfigResources (KIP-1142; version 0 is KIP-714's ListClientMetricsResources): the config resources
 * DescribeConfigs answers for, as {@code kafka-configs --describe} without an entity name lists them — the
 * groups that have configs (not every group, as Kafka), the brokers, every topic. Client-metrics
 * subscriptions Tributary has none of; broker loggers it does not serve, so asking for them is refused as
 * Kafka refuses a type it does not know (UNSUPPORTED_VERSION). Needs DESCRIBE_CONFIGS on the cluster, as in
 * Kafka (else CLUSTER_AUTHORIZATION_FAILED).
 */
public final class ListConfigResourcesHandler implements ApiHandler<ListConfigResourcesRequest> {

    /** The types listed when the request names none, in Kafka's order. */
    private static final List<ConfigResource.Type> SERVED = List.of(ConfigResource.Type.GROUP,
            ConfigResource.Type.CLIENT_METRICS, ConfigResource.Type.BROKER, ConfigResource.Type.TOPIC);

    private final ClusterMetadata metadata;
    private final GroupConfigs groupConfigs;
    private final RequestAuthorization authorization;

    public ListConfigResourcesHandler(ClusterMetadata metadata, GroupConfigs groupConfigs, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.groupConfigs = groupConfigs;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_CONFIG_RESOURCES;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListConfigResourcesRequest request) {
        ListConfigResourcesResponseData data = new ListConfigResourcesResponseData();
        if (!authorization.authorizeCluster(context, AclOperation.DESCRIBE_CONFIGS)) {
            return done(data.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        // Version 0 lists client-metrics subscriptions only; version 1 the types asked for, or all.
        Set<ConfigResource.Type> types = new LinkedHashSet<>();
        if (request.version() == 0) {
            types.add(ConfigResource.Type.CLIENT_METRICS);
        } else if (request.data().resourceTypes().isEmpty()) {
            types.addAll(SERVED);
        } else {
            for (byte id : request.data().resourceTypes()) {
                ConfigResource.Type type = ConfigResource.Type.forId(id);
                if (!SERVED.contains(type)) {
                    return done(data.setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
                }
                types.add(type);
            }
        }
        List<ListConfigResourcesResponseData.ConfigResource> resources = new ArrayList<>();
        for (ConfigResource.Type type : SERVED) {
            if (types.contains(type)) {
                names(type).forEach(name -> resources.add(new ListConfigResourcesResponseData.ConfigResource()
                        .setResourceName(name).setResourceType(type.id())));
            }
        }
        return done(data.setErrorCode(Errors.NONE.code()).setConfigResources(resources));
    }

    private Set<String> names(ConfigResource.Type type) {
        return switch (type) {
            case GROUP -> new TreeSet<>(groupConfigs.configuredGroups());
            case BROKER -> new TreeSet<>(metadata.brokers().stream().map(b -> Integer.toString(b.endpoint().nodeId())).toList());
            case TOPIC -> new TreeSet<>(metadata.topics().stream().map(TopicInfo::name).toList());
            default -> Set.of();
        };
    }

    private static CompletableFuture<AbstractResponse> done(ListConfigResourcesResponseData data) {
        return CompletableFuture.completedFuture(new ListConfigResourcesResponse(data));
    }
}
