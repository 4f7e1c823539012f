package io.tributary.broker.metadata;

/**
 * Where clients reach a broker's Kafka listener.
 *
 * @param rack the broker's rack ({@code tributary.broker.rack}), or null when it has none
 */
public record BrokerEndpoint(int nodeId, String host, int port, String rack) {

    /** A broker in no rack. */
    public BrokerEndpoint(int nodeId, String host, int port) {
        this(nodeId, host, port, null);
    }
}
