package io.tributary.broker.cluster;

import java.util.List;
import java.util.Optional;
import io.tributary.broker.metadata.AdvertisedListener;

/**
 * A broker the cluster knows; a fenced one leads nothing and is out of every ISR until it registers again.
 *
 * @param host where other brokers reach it: its inter-broker listener's host
 * @param port its inter-broker listener's port
 * @param httpPort the port of its HTTP side (admin API, console) on {@code host}, or {@link #NO_HTTP_PORT}
 * @param listeners every listener it advertises; empty for a broker registered before listeners were
 *        named, which is reached at {@code host:port} on every listener
 * @param rack its rack, or null when it has none (or registered before racks were known)
 * @param epoch its broker epoch, Kafka's: the index in the metadata log of the registration of this
 *        incarnation, which tells it apart from the broker's earlier and later incarnations (KIP-903);
 *        {@link #UNKNOWN_EPOCH} for a registration read from a snapshot written before epochs were kept
 */
public record BrokerRegistration(int nodeId, String host, int port, int httpPort, boolean fenced,
        List<AdvertisedListener> listeners, String rack, long epoch) {

    /** The broker did not say where its HTTP side listens (a random port, or an older broker). */
    public static final int NO_HTTP_PORT = -1;
    /** A broker epoch not known, Kafka's -1: a comparison with it checks nothing. */
    public static final long UNKNOWN_EPOCH = -1;

    public BrokerRegistration {
        listeners = List.copyOf(listeners);
    }

    public BrokerRegistration(int nodeId, String host, int port, int httpPort, boolean fenced) {
        this(nodeId, host, port, httpPort, fenced, List.of());
    }

    public BrokerRegistration(int nodeId, String host, int port, int httpPort, boolean fenced,
            List<AdvertisedListener> listeners) {
        this(nodeId, host, port, httpPort, fenced, listeners, null);
    }

    /** A registration whose broker epoch is not known. */
    public BrokerRegistration(int nodeId, String host, int port, int httpPort, boolean fenced,
            List<AdvertisedListener> listeners, String rack) {
        this(nodeId, host, port, httpPort, fenced, listeners, rack, UNKNOWN_EPOCH);
    }

    /** The same broker in a rack. */
    BrokerRegistration inRack(String rack) {
        return new BrokerRegistration(nodeId, host, port, httpPort, fenced, listeners, rack, epoch);
    }

    /** The same registration with its broker epoch. */
    BrokerRegistration withEpoch(long epoch) {
        return new BrokerRegistration(nodeId, host, port, httpPort, fenced, listeners, rack, epoch);
    }

    /** Where clients of a listener reach this broker; empty when it has no listener of that name. */
    public Optional<AdvertisedListener> listener(String name) {
        if (listeners.isEmpty()) {
            return Optional.of(new AdvertisedListener(name, host, port));
        }
        return listeners.stream().filter(l -> l.name().equalsIgnoreCase(name)).findFirst();
    }

    BrokerRegistration fence() {
        return new BrokerRegistration(nodeId, host, port, httpPort, true, listeners, rack, epoch);
    }

    /**
     * Why a replica on {@code broker} may not be added to an ISR on the strength of fetches made in
     * {@code brokerEpoch} (Kafka's KIP-903 check), or null when it may: it must be registered, unfenced,
     * and — when both epochs are known — the incarnation whose fetches the leader saw. Else a leader's view
     * of a follower's log, taken before that broker restarted (and perhaps lost unflushed records) and
     * registered again, would bring the new incarnation into the ISR.
     */
    static String whyIneligibleForIsr(BrokerRegistration broker, long brokerEpoch) {
        if (broker == null) {
            return "is not registered";
        }
        if (broker.fenced()) {
            return "is fenced";
        }
        if (brokerEpoch != UNKNOWN_EPOCH && broker.epoch() != UNKNOWN_EPOCH && brokerEpoch != broker.epoch()) {
            return "has broker epoch " + broker.epoch() + ", not " + brokerEpoch + " as the leader saw";
        }
        return null;
    }
}
