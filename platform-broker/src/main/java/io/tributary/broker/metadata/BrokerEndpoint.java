package io.tributary.broker.metadata;

/** Where clients reach a broker's Kafka listener. */
public record BrokerEndpoint(int nodeId, String host, int port) {
}
