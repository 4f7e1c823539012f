package io.tributary.broker.security.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.security.acl.AclIndex.Verdict;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.Resource;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.AclDeleteResult.AclBindingDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's {@link Authorizer} over the ACLs of the cluster metadata, with the semantics of Kafka's
 * {@code StandardAuthorizer}: LITERAL, PREFIXED and {@code *} resource patterns, {@code User:*} and
 * {@code *} hosts, ALLOW rules implying DESCRIBE (and DESCRIBE_CONFIGS), DENY winning over ALLOW,
 * super users allowed everything, and a resource without any ACL denied unless
 * {@code allowEveryoneIfNoAclFound}.
 *
 * <p>Decisions read an immutable {@link AclIndex} through a volatile field, replaced whenever the
 * metadata's ACLs change, so the request path never locks. Changes go through {@link ClusterMetadata}
 * (the Raft quorum in a cluster), and every broker's authorizer follows its own replica.
 *
 * <p>Decisions are written to the audit logger {@value #AUDIT_LOGGER}: refusals of what a request
 * asked for at INFO, grants at DEBUG, and those of mere filtering (Kafka's {@code logIfDenied} and
 * {@code logIfAllowed} unset) at TRACE.
 */
public final class AclAuthorizer implements Authorizer {

    public static final String AUDIT_LOGGER = "io.tributary.broker.security.audit";

    private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

    private final ClusterMetadata metadata;
    private final Set<String> superUsers;
    private final boolean allowEveryoneIfNoAclFound;
    private final LongAdder denials = new LongAdder();
    private volatile AclIndex index = AclIndex.EMPTY;

    /**
     * @param superUsers principals, as {@code User:admin}, allowed everything whatever the ACLs say
     */
    public AclAuthorizer(ClusterMetadata metadata, Collection<String> superUsers, boolean allowEveryoneIfNoAclFound) {
        this.metadata = metadata;
        this.superUsers = Set.copyOf(superUsers);
        this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
        metadata.onSecurityChange(this::follow);
    }

    private void follow(SecurityImage image) {
        if (image.acls() != index.bindings()) {
            index = AclIndex.of(image.acls());
        }
    }

    /** Configured through the broker's properties when constructed; Kafka's {@code authorizer.*} configs are not read. */
    @Override
    public void configure(Map<String, ?> configs) {
    }

    /** Ready at once: the ACLs are in the metadata this broker has already loaded. */
    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        return serverInfo.endpoints().stream()
                .collect(Collectors.toMap(endpoint -> endpoint, endpoint -> CompletableFuture.<Void>completedFuture(null)));
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        KafkaPrincipal principal = context.principal();
        boolean superUser = !superUsers.isEmpty()
                && superUsers.contains(principal.getPrincipalType() + ":" + principal.getName());
        AclIndex current = index;
        List<AuthorizationResult> results = new ArrayList<>(actions.size());
        for (Action action : actions) {
            ResourcePattern resource = action.resourcePattern();
            Verdict verdict = superUser ? null : current.decide(resource.resourceType(), resource.name(), principal,
                    context.clientAddress(), action.operation());
            AuthorizationResult result = superUser || allowed(verdict) ? AuthorizationResult.ALLOWED
                    : AuthorizationResult.DENIED;
            if (result == AuthorizationResult.DENIED && action.logIfDenied()) {
                denials.increment();
            }
            logDecision(context, action, result, superUser ? "super user" : reason(verdict));
            results.add(result);
        }
        return results;
    }

    private boolean allowed(Verdict verdict) {
        return switch (verdict.kind()) {
            case ALLOWED -> true;
            case NO_ACLS -> allowEveryoneIfNoAclFound;
            case DENIED, NO_MATCH -> false;
        };
    }

    private static String reason(Verdict verdict) {
        return switch (verdict.kind()) {
            case ALLOWED, DENIED -> "ACL " + verdict.acl();
            case NO_MATCH -> "no matching ACL";
            case NO_ACLS -> "no ACL on the resource";
        };
    }

    private static void logDecision(AuthorizableRequestContext context, Action action, AuthorizationResult result,
            String reason) {
        boolean denied = result == AuthorizationResult.DENIED;
        boolean asked = denied ? action.logIfDenied() : action.logIfAllowed();
        boolean enabled = asked ? (denied ? audit.isInfoEnabled() : audit.isDebugEnabled()) : audit.isTraceEnabled();
        if (!enabled) {
            return;
        }
        ResourcePattern resource = action.resourcePattern();
        String message = String.format("Principal = %s is %s operation = %s from host = %s on resource = %s:%s:%s"
                + " for request = %s with resourceRefCount = %d based on %s", context.principal(),
                denied ? "Denied" : "Allowed", action.operation(), context.clientAddress().getHostAddress(),
                resource.resourceType(), resource.patternType(), resource.name(),
                requestName(context), action.resourceReferenceCount(), reason);
        if (!asked) {
            audit.trace(message);
        } else if (denied) {
            audit.info(message);
        } else {
            audit.debug(message);
        }
    }

    private static String requestName(AuthorizableRequestContext context) {
        return ApiKeys.hasId(context.requestType()) ? ApiKeys.forId(context.requestType()).name
                : Integer.toString(context.requestType());
    }

    /** Actions refused that a request asked for ({@code logIfDenied}), since start; filtering is not counted. */
    public long deniedCount() {
        return denials.sum();
    }

    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(AuthorizableRequestContext context,
            List<AclBinding> bindings) {
        List<AclCreateResult> results = new ArrayList<>(bindings.size());
        Set<AclBinding> valid = new LinkedHashSet<>();
        for (AclBinding binding : bindings) {
            ApiException invalid = invalidity(binding);
            results.add(invalid == null ? AclCreateResult.SUCCESS : new AclCreateResult(invalid));
            if (invalid == null) {
                valid.add(binding);
            }
        }
        if (!valid.isEmpty()) {
            try {
                metadata.createAcls(List.copyOf(valid));
            } catch (RuntimeException e) {
                AclCreateResult failed = new AclCreateResult(asApiException(e));
                results.replaceAll(result -> result == AclCreateResult.SUCCESS ? failed : result);
            }
        }
        return results.stream().map(CompletableFuture::completedFuture).toList();
    }

    /** Kafka's checks of a new ACL, as its controller makes them; null when it may be created. */
    private static ApiException invalidity(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        if (pattern.resourceType() == ResourceType.ANY || pattern.resourceType() == ResourceType.UNKNOWN) {
            return new InvalidRequestException("Invalid resourceType " + pattern.resourceType());
        }
        if (pattern.patternType() != PatternType.LITERAL && pattern.patternType() != PatternType.PREFIXED) {
            return new InvalidRequestException("Invalid patternType " + pattern.patternType());
        }
        if (binding.entry().operation().isUnknown() || binding.entry().operation() == AclOperation.ANY) {
            return new InvalidRequestException("Invalid operation " + binding.entry().operation());
        }
        if (binding.entry().permissionType().isUnknown()
                || binding.entry().permissionType() == AclPermissionType.ANY) {
            return new InvalidRequestException("Invalid permissionType " + binding.entry().permissionType());
        }
        if (pattern.name().isEmpty()) {
            return new InvalidRequestException("Resource name should not be empty");
        }
        if (pattern.resourceType() == ResourceType.CLUSTER && !pattern.name().equals(Resource.CLUSTER_NAME)) {
            return new InvalidRequestException("The only valid name for the CLUSTER resource is " + Resource.CLUSTER_NAME);
        }
        int colon = binding.entry().principal().indexOf(':');
        if (colon <= 0 || colon == binding.entry().principal().length() - 1) {
            return new InvalidRequestException("Could not parse principal from `" + binding.entry().principal()
                    + "` (no colon is present separating the principal type from the principal name)");
        }
        if (binding.entry().host().isEmpty()) {
            return new InvalidRequestException("Invalid empty host");
        }
        return null;
    }

    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(AuthorizableRequestContext context,
            List<AclBindingFilter> filters) {
        SecurityImage current = metadata.security();
        Set<AclBinding> deleted = new HashSet<>();
        List<AclDeleteResult> results = new ArrayList<>(filters.size());
        for (AclBindingFilter filter : filters) {
            if (filter.isUnknown()) {
                results.add(new AclDeleteResult(new InvalidRequestException("Unknown ACL filter " + filter)));
                continue;
            }
            // An ACL matched by several filters is reported by the first only, as Kafka does.
            List<AclBindingDeleteResult> matched = current.acls(filter).stream().filter(deleted::add)
                    .map(AclBindingDeleteResult::new).toList();
            results.add(new AclDeleteResult(matched));
        }
        if (!deleted.isEmpty()) {
            try {
                metadata.deleteAcls(List.copyOf(deleted));
            } catch (RuntimeException e) {
                ApiException failure = asApiException(e);
                results.replaceAll(result -> result.exception().isPresent() ? result
                        : new AclDeleteResult(result.aclBindingDeleteResults().stream()
                                .map(r -> new AclBindingDeleteResult(r.aclBinding(), failure)).toList()));
            }
        }
        return results.stream().map(CompletableFuture::completedFuture).toList();
    }

    private static ApiException asApiException(RuntimeException e) {
        if (e instanceof MetadataException m) {
            return m.error().exception(m.getMessage());
        }
        return e instanceof ApiException api ? api
                : new UnknownServerException(e.getMessage());
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        return index.bindings().stream().filter(filter::matches).toList();
    }

    @Override
    public int aclCount() {
        return index.bindings().size();
    }

    @Override
    public void close() {
    }
}
