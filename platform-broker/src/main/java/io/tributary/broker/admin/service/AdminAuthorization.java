package io.tributary.broker.admin.service;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import io.tributary.broker.metadata.MetadataException;

/**
 * The ACL check of the HTTP side: each console page and admin API call needs what its Kafka API
 * equivalent needs (creating a topic needs CREATE, browsing records READ, a lag reset READ on the
 * group and its topics, …), for the user HTTP Basic authenticated, from the same authorizer and ACLs
 * as the Kafka listeners. Without an authorizer everything is allowed, as on the Kafka side.
 *
 * <p>A refusal is a {@link MetadataException} with Kafka's authorization error, so the admin API
 * answers 403 with that error's name and the console shows it. Thread-safe.
 */
public final class AdminAuthorization {

    /** The listener name HTTP requests are authorized under, so that ACLs may tell them apart. */
    public static final String HTTP_LISTENER = "HTTP";

    private final Authorizer authorizer;

    /** @param authorizer {@code null} when no authorizer is configured */
    public AdminAuthorization(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    public boolean isEnabled() {
        return authorizer != null;
    }

    /** Whether the current user may do {@code operation} on the resource; logs nothing when it may not. */
    public boolean allowed(AclOperation operation, ResourceType type, String name, ApiKeys equivalent) {
        return authorize(operation, type, name, equivalent, false);
    }

    /** Refuses with Kafka's authorization error unless the current user may do {@code operation} on the resource. */
    public void check(AclOperation operation, ResourceType type, String name, ApiKeys equivalent) {
        if (!authorize(operation, type, name, equivalent, true)) {
            Errors error = switch (type) {
                case TOPIC -> Errors.TOPIC_AUTHORIZATION_FAILED;
                case GROUP -> Errors.GROUP_AUTHORIZATION_FAILED;
                case TRANSACTIONAL_ID -> Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
                default -> Errors.CLUSTER_AUTHORIZATION_FAILED;
            };
            throw new MetadataException(error, principal() + " may not " + operation + " " + type
                    + (type == ResourceType.CLUSTER ? "" : " " + name));
        }
    }

    /** CREATE on the cluster, or on the topic, as CreateTopics checks. */
    public void checkCreateTopic(String topic) {
        if (!allowed(AclOperation.CREATE, ResourceType.CLUSTER, "kafka-cluster", ApiKeys.CREATE_TOPICS)) {
            check(AclOperation.CREATE, ResourceType.TOPIC, topic, ApiKeys.CREATE_TOPICS);
        }
    }

    private boolean authorize(AclOperation operation, ResourceType type, String name, ApiKeys equivalent, boolean logIfDenied) {
        if (authorizer == null) {
            return true;
        }
        Action action = new Action(operation, new ResourcePattern(type, name, PatternType.LITERAL), 1, true, logIfDenied);
        return authorizer.authorize(new HttpRequestContext(principal(), clientAddress(), equivalent), List.of(action))
                .get(0) == AuthorizationResult.ALLOWED;
    }

    private static KafkaPrincipal principal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication.getName() == null
                || "anonymousUser".equals(authentication.getName())) {
            return KafkaPrincipal.ANONYMOUS;
        }
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, authentication.getName());
    }

    private static InetAddress clientAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
            try {
                return InetAddress.getByName(servlet.getRequest().getRemoteAddr());
            } catch (UnknownHostException e) {
                throw new ApiException("Unreadable client address " + servlet.getRequest().getRemoteAddr(), e);
            }
        }
        return InetAddress.getLoopbackAddress();
    }

    /** An HTTP request as Kafka's authorizer sees requests. */
    private record HttpRequestContext(KafkaPrincipal principal, InetAddress clientAddress, ApiKeys equivalent)
            implements AuthorizableRequestContext {

        @Override
        public String listenerName() {
            return HTTP_LISTENER;
        }

        @Override
        public SecurityProtocol securityProtocol() {
            return SecurityProtocol.SASL_PLAINTEXT;
        }

        @Override
        public int requestType() {
            return equivalent.id;
        }

        @Override
        public int requestVersion() {
            return equivalent.latestVersion();
        }

        @Override
        public String clientId() {
            return "tributary-http";
        }

        @Override
        public int correlationId() {
            return 0;
        }
    }
}
