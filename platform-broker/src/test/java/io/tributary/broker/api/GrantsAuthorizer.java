package io.tributary.broker.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
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
 * A test double of Kafka's {@link Authorizer}: it allows exactly the (principal, operation, literal
 * resource) grants it was given, with none of Kafka's implications (READ does not imply DESCRIBE
 * here), and remembers every batch it was asked, so that tests can see what the handlers asked.
 */
final class GrantsAuthorizer implements Authorizer {

    private record Grant(KafkaPrincipal principal, AclOperation operation, ResourceType type, String name) {
    }

    private final Set<Grant> grants = ConcurrentHashMap.newKeySet();
    private final List<List<Action>> asked = new CopyOnWriteArrayList<>();

    GrantsAuthorizer allow(KafkaPrincipal principal, AclOperation operation, ResourceType type, String name) {
        grants.add(new Grant(principal, operation, type, name));
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
            Grant wanted = new Grant(context.principal(), action.operation(), action.resourcePattern().resourceType(),
                    action.resourcePattern().name());
            return grants.contains(wanted) ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
        }).toList();
    }

    /** Allowed when any grant of the principal allows the operation on some resource of the type. */
    @Override
    public AuthorizationResult authorizeByResourceType(AuthorizableRequestContext context, AclOperation operation,
            ResourceType type) {
        boolean any = grants.stream().anyMatch(grant -> grant.principal().equals(context.principal())
                && grant.operation() == operation && grant.type() == type);
        return any ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }

    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        throw new UnsupportedOperationException("The handlers never start the authorizer; the application does");
    }

    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(AuthorizableRequestContext context,
            List<AclBinding> bindings) {
        throw new UnsupportedOperationException("The handlers under test do not create ACLs");
    }

    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(AuthorizableRequestContext context,
            List<AclBindingFilter> filters) {
        throw new UnsupportedOperationException("The handlers under test do not delete ACLs");
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        throw new UnsupportedOperationException("The handlers ask authorize or authorizeByResourceType, never for ACLs");
    }
}
