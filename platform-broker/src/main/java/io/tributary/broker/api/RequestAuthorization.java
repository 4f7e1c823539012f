package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;

/**
 * The handlers' one way to ask whether a request's principal may do what it asks, as Kafka's
 * {@code AuthHelper} does: literal resource patterns, the authorizer's audit flags set per call,
 * and one {@link Authorizer#authorize} call for a whole batch of topics on the Produce and Fetch
 * paths. Without an authorizer everything is allowed and nothing is asked or allocated.
 */
public final class RequestAuthorization {

    /** No authorizer: every request is allowed, as on a broker without {@code authorizer.class.name}. */
    public static final RequestAuthorization ALLOW_ALL = new RequestAuthorization(null);

    /** Kafka's marker for an authorized-operations field that was not asked for. */
    public static final int OPERATIONS_NOT_REQUESTED = Integer.MIN_VALUE;

    private static final Predicate<String> EVERY_NAME = name -> true;

    private final Authorizer authorizer;

    /** @param authorizer the authorizer to ask, or {@code null} to allow everything */
    public RequestAuthorization(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Whether an authorizer decides; when not, the authorized-operations fields list every supported operation. */
    public boolean isEnabled() {
        return authorizer != null;
    }

    /** Whether the principal may do {@code operation} on the named resource; refusals and grants are audited. */
    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name) {
        return authorize(context, operation, type, name, true, true);
    }

    /**
     * As {@link #authorize(RequestContext, AclOperation, ResourceType, String)}, with the audit flags
     * Kafka sets where a refusal is an expected answer rather than an attempt (a fallback check, a listing).
     */
    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name,
            boolean logIfAllowed, boolean logIfDenied) {
        if (authorizer == null) {
            return true;
        }
        Action action = new Action(operation, new ResourcePattern(type, name, PatternType.LITERAL), 1, logIfAllowed,
                logIfDenied);
        return authorizer.authorize(context, List.of(action)).get(0) == AuthorizationResult.ALLOWED;
    }

    /** The authorizer itself, for the ACL APIs that manage its ACLs; empty when none is configured. */
    public java.util.Optional<Authorizer> authorizer() {
        return java.util.Optional.ofNullable(authorizer);
    }

    /** Kafka's refusal of a request that needs {@code operation} on the cluster. */
    public static org.apache.kafka.common.errors.ClusterAuthorizationException clusterRefusal(RequestContext context,
            AclOperation operation) {
        return new org.apache.kafka.common.errors.ClusterAuthorizationException("Request " + context.header().apiKey().name
                + " needs " + operation + " on the cluster, which " + context.principal() + " is not allowed");
    }

    /**
     * Why a request that manages ACLs is refused, as Kafka checks it: {@code operation} (ALTER to
     * change, DESCRIBE to list) on the cluster first, then an authorizer to manage; empty when it may go on.
     */
    public java.util.Optional<org.apache.kafka.common.errors.ApiException> aclManagementRefusal(RequestContext context,
            AclOperation operation) {
        if (!authorizeCluster(context, operation)) {
            return java.util.Optional.of(clusterRefusal(context, operation));
        }
        if (authorizer == null) {
            return java.util.Optional.of(new org.apache.kafka.common.errors.SecurityDisabledException(
                    "No Authorizer is configured on the broker"));
        }
        return java.util.Optional.empty();
    }

    /** Whether the principal may do {@code operation} on the cluster. */
    public boolean authorizeCluster(RequestContext context, AclOperation operation) {
        return authorize(context, operation, ResourceType.CLUSTER, Resource.CLUSTER_NAME);
    }

    /** As {@link #authorizeCluster(RequestContext, AclOperation)}, with the audit flags given. */
    public boolean authorizeCluster(RequestContext context, AclOperation operation, boolean logIfAllowed,
            boolean logIfDenied) {
        return authorize(context, operation, ResourceType.CLUSTER, Resource.CLUSTER_NAME, logIfAllowed, logIfDenied);
    }

    /**
     * Whether the principal may do {@code operation} on some resource of the type (any ACL that
     * could allow it), as Kafka asks for idempotent producers without IDEMPOTENT_WRITE on the cluster.
     */
    public boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType type) {
        return authorizer == null
                || authorizer.authorizeByResourceType(context, operation, type) == AuthorizationResult.ALLOWED;
    }

    /** The names among {@code names} on which the principal may do {@code operation}, asked in one call. */
    public Predicate<String> filter(RequestContext context, AclOperation operation, ResourceType type,
            Collection<String> names) {
        return filter(context, operation, type, names, Function.identity(), true, true);
    }

    /** As {@link #filter(RequestContext, AclOperation, ResourceType, Collection)}, with the audit flags given. */
    public Predicate<String> filter(RequestContext context, AclOperation operation, ResourceType type,
            Collection<String> names, boolean logIfAllowed, boolean logIfDenied) {
        return filter(context, operation, type, names, Function.identity(), logIfAllowed, logIfDenied);
    }

    /**
     * The resource names, read from {@code items} by {@code name}, on which the principal may do
     * {@code operation}: one action per distinct name, counting how often the request refers to it,
     * all in one call of the authorizer.
     *
     * @return whether a name is allowed; any name is, without an authorizer
     */
    public <T> Predicate<String> filter(RequestContext context, AclOperation operation, ResourceType type,
            Collection<T> items, Function<T, String> name, boolean logIfAllowed, boolean logIfDenied) {
        if (authorizer == null) {
            return EVERY_NAME;
        }
        Map<String, Integer> references = new LinkedHashMap<>();
        for (T item : items) {
            references.merge(name.apply(item), 1, Integer::sum);
        }
        if (references.isEmpty()) {
            return EVERY_NAME;
        }
        List<Action> actions = new ArrayList<>(references.size());
        references.forEach((resource, count) -> actions.add(new Action(operation,
                new ResourcePattern(type, resource, PatternType.LITERAL), count, logIfAllowed, logIfDenied)));
        List<AuthorizationResult> results = authorizer.authorize(context, actions);
        Set<String> allowed = new HashSet<>();
        for (int i = 0; i < actions.size(); i++) {
            if (results.get(i) == AuthorizationResult.ALLOWED) {
                allowed.add(actions.get(i).resourcePattern().name());
            }
        }
        return allowed::contains;
    }

    /**
     * The operations the principal may do on the resource, among those its type supports, as the
     * bit field of the authorized-operations fields of Metadata, DescribeGroups and DescribeCluster.
     * These checks are not audited: they describe rights, they do not use them.
     */
    public int authorizedOperations(RequestContext context, ResourceType type, String name) {
        Set<AclOperation> supported = supportedOperations(type);
        Set<Byte> codes = new HashSet<>();
        if (authorizer == null) {
            supported.forEach(operation -> codes.add(operation.code()));
        } else {
            ResourcePattern pattern = new ResourcePattern(type, name, PatternType.LITERAL);
            List<Action> actions = supported.stream().map(operation -> new Action(operation, pattern, 1, false, false))
                    .toList();
            List<AuthorizationResult> results = authorizer.authorize(context, actions);
            for (int i = 0; i < actions.size(); i++) {
                if (results.get(i) == AuthorizationResult.ALLOWED) {
                    codes.add(actions.get(i).operation().code());
                }
            }
        }
        return Utils.to32BitField(codes);
    }

    /** The cluster's authorized operations, for the cluster-level fields. */
    public int clusterAuthorizedOperations(RequestContext context) {
        return authorizedOperations(context, ResourceType.CLUSTER, Resource.CLUSTER_NAME);
    }

    /** The operations an ACL can grant on a resource of the type, as Kafka's {@code AclEntry.supportedOperations}. */
    static Set<AclOperation> supportedOperations(ResourceType type) {
        return switch (type) {
            case TOPIC -> EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case GROUP -> EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case CLUSTER -> EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);
            default -> throw new IllegalArgumentException("Not a concrete resource type: " + type);
        };
    }
}
