package io.tributary.broker.security.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;

/** Requests and ACLs for authorizer tests, without a network connection. */
public final class Requests {

    private Requests() {
    }

    /** A Produce request of {@code principal} ({@code User:alice}) from {@code host} (an IP address). */
    public static AuthorizableRequestContext from(String principal, String host) {
        KafkaPrincipal parsed = new KafkaPrincipal(principal.substring(0, principal.indexOf(':')),
                principal.substring(principal.indexOf(':') + 1));
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(host, e);
        }
        return new AuthorizableRequestContext() {
            @Override public String listenerName() { return "PLAINTEXT"; }
            @Override public SecurityProtocol securityProtocol() { return SecurityProtocol.PLAINTEXT; }
            @Override public KafkaPrincipal principal() { return parsed; }
            @Override public InetAddress clientAddress() { return address; }
            @Override public int requestType() { return ApiKeys.PRODUCE.id; }
            @Override public int requestVersion() { return 11; }
            @Override public String clientId() { return "test"; }
            @Override public int correlationId() { return 1; }
        };
    }

    public static Action action(AclOperation operation, ResourceType type, String name) {
        return new Action(operation, new ResourcePattern(type, name, PatternType.LITERAL), 1, true, true);
    }

    public static AclBinding acl(ResourceType type, String name, PatternType patternType, String principal, String host,
            AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, operation, permission));
    }
}
