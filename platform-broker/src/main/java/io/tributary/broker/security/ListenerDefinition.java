package io.tributary.broker.security;

import java.util.Objects;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One listener a broker binds, as Kafka's {@code listeners} names it: {@code NAME://host:port}, and
 * the security protocol its name maps to.
 *
 * @param host the interface to bind; empty or {@code 0.0.0.0} for all
 * @param port {@code 0} picks a free port
 */
public record ListenerDefinition(String name, SecurityProtocol securityProtocol, String host, int port) {

    public ListenerDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        Objects.requireNonNull(host, "host");
    }

    /** Whether the host binds every interface, which cannot be advertised to clients. */
    public boolean bindsAllInterfaces() {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    }

    @Override
    public String toString() {
        return name + "://" + host + ":" + port;
    }
}
