package io.tributary.broker.api;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;

/**
 * The check of an operation on the cluster resource that Kafka's administrative APIs make: allowed
 * when no authorizer is configured, else as the authorizer decides.
 */
final class ClusterAuthorization {

    private static final ResourcePattern CLUSTER =
            new ResourcePattern(ResourceType.CLUSTER, Resource.CLUSTER_NAME, PatternType.LITERAL);

    private final Optional<Authorizer> authorizer;

    ClusterAuthorization(Optional<Authorizer> authorizer) {
        this.authorizer = authorizer;
    }

    boolean allows(RequestContext context, AclOperation operation) {
        return authorizer.isEmpty() || authorizer.get().authorize(context,
                List.of(new Action(operation, CLUSTER, 1, true, true))).get(0) == AuthorizationResult.ALLOWED;
    }

    static ClusterAuthorizationException refused(RequestContext context, AclOperation operation) {
        return new ClusterAuthorizationException("Request " + context.header().apiKey().name + " needs "
                + operation + " on the cluster, which " + context.principal() + " is not allowed");
    }
}
