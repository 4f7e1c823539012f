package io.tributary.broker.metadata;

/**
 * This broker as clients see it: its node id, the host it advertises, and the port its Kafka
 * listener actually bound (known only once the listener is up, so that port 0 works in tests).
 */
public final class LocalBroker {

    private final int nodeId;
    private final String advertisedHost;
    private final String clusterId;
    private volatile int port;
    private final int httpPort;

    public LocalBroker(int nodeId, String advertisedHost, int port, String clusterId) {
        this(nodeId, advertisedHost, port, BrokerStatus.NO_HTTP_PORT, clusterId);
    }

    /**
     * @param httpPort the fixed port of this broker's HTTP side, which other brokers' consoles ask
     *                 for what only this broker holds; {@link BrokerStatus#NO_HTTP_PORT} when it is random
     */
    public LocalBroker(int nodeId, String advertisedHost, int port, int httpPort, String clusterId) {
        this.nodeId = nodeId;
        this.advertisedHost = advertisedHost;
        this.port = port;
        this.httpPort = httpPort;
        this.clusterId = clusterId;
    }

    public int httpPort() {
        return httpPort;
    }

    public int nodeId() {
        return nodeId;
    }

    public String host() {
        return advertisedHost;
    }

    public int port() {
        return port;
    }

    /** Called once the Kafka listener is bound. */
    public void boundTo(int boundPort) {
        this.port = boundPort;
    }

    public String clusterId() {
        return clusterId;
    }
}
