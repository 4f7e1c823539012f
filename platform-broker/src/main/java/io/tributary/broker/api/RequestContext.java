package io.tributary.broker.api;

import java.net.InetAddress;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Who sent a request and how: its header (API key, version, correlation id, client id) and the
 * connection it arrived on.
 *
 * @param connectionId a name unique among the broker's open connections, for logs
 */
public record RequestContext(RequestHeader header, String connectionId, InetAddress clientAddress) {

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }
}
