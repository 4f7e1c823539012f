package io.tributary.broker.api;

import java.net.InetAddress;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;

/**
 * Who sent a request and how: its header (API key, version, correlation id, client id), the
 * connection it arrived on, and the principal that connection authenticated as. It is Kafka's
 * {@link AuthorizableRequestContext}, so an authorizer written for Kafka reads it as it reads
 * Kafka's own.
 *
 * @param connectionId a name unique among the broker's open connections, for logs
 * @param principal {@link KafkaPrincipal#ANONYMOUS} on a listener that does not authenticate
 * @param listenerName the name of the listener the connection came in on ({@code PLAINTEXT}, {@code SASL_SSL}, …)
 */
public record RequestContext(RequestHeader header, String connectionId, InetAddress clientAddress, KafkaPrincipal principal,
        String listenerName, SecurityProtocol securityProtocol) implements AuthorizableRequestContext {

    /** A request on a PLAINTEXT listener that does not authenticate: the anonymous principal. */
    public RequestContext(RequestHeader header, String connectionId, InetAddress clientAddress) {
        this(header, connectionId, clientAddress, KafkaPrincipal.ANONYMOUS, SecurityProtocol.PLAINTEXT.name,
                SecurityProtocol.PLAINTEXT);
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    @Override
    public String clientId() {
        return header.clientId();
    }

    @Override
    public int requestType() {
        return header.apiKey().id;
    }

    @Override
    public int requestVersion() {
        return header.apiVersion();
    }

    @Override
    public int correlationId() {
        return header.correlationId();
    }
}
