package io.tributary.broker.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This broker as clients and other brokers see it: its node id, the endpoint it advertises on each
 * listener, and which listener brokers use among themselves. A listener advertised with port 0 takes
 * the port its socket actually bound once it is up, so that port 0 works in tests.
 */
public final class LocalBroker {

    private final int nodeId;
    private final String clusterId;
    private final int httpPort;
    private final String interBrokerListenerName;
    private final String rack;
    /** Replaced whole when a port becomes known; read without locking. */
    private volatile List<AdvertisedListener> listeners;

    /** A broker with one PLAINTEXT listener. */
    public LocalBroker(int nodeId, String advertisedHost, int port, String clusterId) {
        this(nodeId, advertisedHost, port, BrokerStatus.NO_HTTP_PORT, clusterId);
    }

    /** A broker with one PLAINTEXT listener. */
    public LocalBroker(int nodeId, String advertisedHost, int port, int httpPort, String clusterId) {
        this(nodeId, List.of(new AdvertisedListener("PLAINTEXT", advertisedHost, port)), "PLAINTEXT", httpPort, clusterId);
    }

    /**
     * @param listeners every listener's advertised endpoint, in the configured order
     * @param httpPort the fixed port of this broker's HTTP side, which other brokers' consoles ask
     *                 for what only this broker holds; {@link BrokerStatus#NO_HTTP_PORT} when it is random
     */
    public LocalBroker(int nodeId, List<AdvertisedListener> listeners, String interBrokerListenerName, int httpPort, String clusterId) {
        this(nodeId, listeners, interBrokerListenerName, httpPort, clusterId, null);
    }

    /** @param rack the rack this broker is in (Kafka's {@code broker.rack}), or null */
    public LocalBroker(int nodeId, List<AdvertisedListener> listeners, String interBrokerListenerName, int httpPort,
            String clusterId, String rack) {
        this.nodeId = nodeId;
        this.rack = rack == null || rack.isBlank() ? null : rack;
        this.listeners = List.copyOf(listeners);
        this.interBrokerListenerName = interBrokerListenerName;
        this.httpPort = httpPort;
        this.clusterId = clusterId;
        listener(interBrokerListenerName).orElseThrow(() -> new IllegalArgumentException(
                "The inter-broker listener " + interBrokerListenerName + " is not among " + listeners));
    }

    /** The rack this broker is in, or null: replicas of a partition are spread over racks, and consumers read from their own. */
    public String rack() {
        return rack;
    }

    public int httpPort() {
        return httpPort;
    }

    public int nodeId() {
        return nodeId;
    }

    /** The host other brokers reach this one at: the inter-broker listener's. */
    public String host() {
        return interBrokerListener().host();
    }

    /** The port other brokers reach this one at: the inter-broker listener's. */
    public int port() {
        return interBrokerListener().port();
    }

    public String interBrokerListenerName() {
        return interBrokerListenerName;
    }

    public AdvertisedListener interBrokerListener() {
        return listener(interBrokerListenerName).orElseThrow();
    }

    public List<AdvertisedListener> listeners() {
        return listeners;
    }

    public Optional<AdvertisedListener> listener(String name) {
        return listeners.stream().filter(l -> l.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Called once the first listener is bound (a broker with one listener). */
    public void boundTo(int boundPort) {
        boundTo(listeners.get(0).name(), boundPort);
    }

    /** Called once a listener is bound: a listener advertised with port 0 advertises the port it got. */
    public synchronized void boundTo(String listenerName, int boundPort) {
        List<AdvertisedListener> updated = new ArrayList<>(listeners.size());
        for (AdvertisedListener listener : listeners) {
            boolean takesPort = listener.name().equalsIgnoreCase(listenerName) && listener.port() == 0;
            updated.add(takesPort ? new AdvertisedListener(listener.name(), listener.host(), boundPort) : listener);
        }
        listeners = List.copyOf(updated);
    }

    public String clusterId() {
        return clusterId;
    }
}
