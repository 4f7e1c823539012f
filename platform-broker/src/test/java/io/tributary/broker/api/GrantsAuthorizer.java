package io.tributary.broker.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;

/**
 * A small {@link Authorizer} for handler tests: it allows exactly the grants it holds — ALLOW entries on
 * literal resources, for one principal from any host — with none of Kafka's implications (READ does
 * not imply DESCRIBE here), so a test states every permission a handler asks for. It remembers every
 * batch it was asked, so that tests can see what the handlers asked. Grants are Kafka's own
 * {@link AclBinding}s, so they can be listed, created and deleted through the interface as well.
 */
final class GrantsAuthorizer implements Authorizer {

    private final Set<AclBinding> grants = ConcurrentHashMap.newKeySet();
    private final List<List<Action>> asked = new CopyOnWriteArrayList<>();

    GrantsAuthorizer allow(KafkaPrincipal principal, AclOperation operation, ResourceType type, String name) {
        grants.add(grant(principal.toString(), operation, type, name));
        return this;
    }

    GrantsAuthorizer allowCluster(KafkaPrincipal principal, AclOperation operation) {
        return allow(principal, operation, ResourceType.CLUSTER, Resource.CLUSTER_NAME);
    }

    /** Every call of {@link #authorize}, in order, with the actions it carried. */
    List<List<Action>> asked() {
        return asked;
    }

    void forgetAsked() {
        asked.clear();
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        asked.add(List.copyOf(actions));
        return actions.stream().map(action -> {
            if (action.resourcePattern().patternType() != PatternType.LITERAL) {
                throw new AssertionError("Handlers ask about literal resources only, not " + action.resourcePattern());
            }
            AclBinding wanted = grant(context.principal().toString(), action.operation(),
                    action.resourcePattern().resourceType(), action.resourcePattern().name());
            return grants.contains(wanted) ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
        }).toList();
    }

    /** Allowed when any grant of the principal allows the operation on some resource of the type. */
    @Override
    public AuthorizationResult authorizeByResourceType(AuthorizableRequestContext context, AclOperation operation,
            ResourceType type) {
        boolean any = grants.stream().anyMatch(grant -> grant.entry().principal().equals(context.principal().toString())
                && grant.entry().operation() == operation && grant.pattern().resourceType() == type);
        return any ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }

    /** Nothing to load: the grants are in memory from the start. */
    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        return serverInfo.endpoints().stream()
                .collect(java.util.stream.Collectors.toMap(endpoint -> endpoint, endpoint -> CompletableFuture.<Void>completedFuture(null)));
    }

    /** Takes ALLOW grants on literal resources for any host; refuses other ACLs, which this authorizer cannot honour. */
    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(AuthorizableRequestContext context,
            List<AclBinding> bindings) {
        return bindings.stream().map(binding -> {
            if (binding.pattern().patternType() != PatternType.LITERAL || binding.entry().permissionType() != AclPermissionType.ALLOW
                    || !binding.entry().host().equals("*")) {
                return CompletableFuture.completedFuture(new AclCreateResult(new InvalidRequestException(
                        "This authorizer holds ALLOW grants on literal resources for any host only: " + binding)));
            }
            grants.add(binding);
            return CompletableFuture.completedFuture(AclCreateResult.SUCCESS);
        }).toList();
    }

    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(AuthorizableRequestContext context,
            List<AclBindingFilter> filters) {
        return filters.stream().map(filter -> {
            List<AclBinding> matching = grants.stream().filter(filter::matches).toList();
            matching.forEach(grants::remove);
            return CompletableFuture.completedFuture(new AclDeleteResult(matching.stream()
                    .map(AclDeleteResult.AclBindingDeleteResult::new).toList()));
        }).toList();
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        return grants.stream().filter(filter::matches).toList();
    }

    private static AclBinding grant(String principal, AclOperation operation, ResourceType type, String name) {
        return new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
