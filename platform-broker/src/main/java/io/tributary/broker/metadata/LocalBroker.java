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

    public LocalBroker(int nodeId, String advertisedHost, int port, String clusterId) {
        this.nodeId = nodeId;
        this.advertisedHost = advertisedHost;
        this.port = port;
        this.clusterId = clusterId;
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
