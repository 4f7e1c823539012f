package io.tributary.broker.cluster;

/**
 * A broker the cluster knows; a fenced one leads nothing and is out of every ISR until it registers again.
 *
 * @param httpPort the port of its HTTP side (admin API, console) on {@code host}, or {@link #NO_HTTP_PORT}
 */
public record BrokerRegistration(int nodeId, String host, int port, int httpPort, boolean fenced) {

    /** The broker did not say where its HTTP side listens (a random port, or an older broker). */
    public static final int NO_HTTP_PORT = -1;

    BrokerRegistration fence() {
        return new BrokerRegistration(nodeId, host, port, httpPort, true);
    }
}
