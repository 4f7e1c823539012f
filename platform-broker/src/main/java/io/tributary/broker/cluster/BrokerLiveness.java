package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The controller's memory of when it last heard from each broker. It is not replicated: a new
 * controller gives every broker a whole session from the moment it took over before fencing it.
 *
 * <p>Thread-safe.
 */
public final class BrokerLiveness {

    private final long sessionTimeoutNanos;
    private final LongSupplier nanoClock;
    private final Map<Integer, Long> lastHeard = new ConcurrentHashMap<>();
    private volatile long controllerSince;

    public BrokerLiveness(long sessionTimeoutMs, LongSupplier nanoClock) {
        this.sessionTimeoutNanos = sessionTimeoutMs * 1_000_000L;
        this.nanoClock = nanoClock;
        this.controllerSince = nanoClock.getAsLong();
    }

    public void heard(int nodeId) {
        lastHeard.put(nodeId, nanoClock.getAsLong());
    }

    /** This broker just became the controller. */
    public void becameController() {
        controllerSince = nanoClock.getAsLong();
    }

    /** The live brokers of {@code image} whose session has run out. */
    public List<Integer> expired(MetadataImage image) {
        long now = nanoClock.getAsLong();
        List<Integer> expired = new ArrayList<>();
        for (BrokerRegistration broker : image.liveBrokers()) {
            long heard = lastHeard.getOrDefault(broker.nodeId(), Long.MIN_VALUE);
            long since = heard == Long.MIN_VALUE || heard - controllerSince < 0 ? controllerSince : heard;
            if (now - since > sessionTimeoutNanos) {
                expired.add(broker.nodeId());
            }
        }
        return expired;
    }
}
