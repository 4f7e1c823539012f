package io.tributary.broker.metadata;

/**
 * A registered broker and whether it is fenced (silent past its session, or stopping): a fenced
 * broker leads nothing and is out of every ISR until it registers again.
 */
public record BrokerStatus(BrokerEndpoint endpoint, boolean fenced, int httpPort) {

    /** The broker's HTTP side is not known to the cluster. */
    public static final int NO_HTTP_PORT = -1;

    public int nodeId() {
        return endpoint.nodeId();
    }
}
