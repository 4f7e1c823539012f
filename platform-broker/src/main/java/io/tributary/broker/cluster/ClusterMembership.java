package io.tributary.broker.cluster;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's part in the cluster's liveness: it registers at start-up (waiting for a quorum),
 * heartbeats, and registers again if the controller fenced it; and while it is the controller it
 * fences the brokers whose heartbeats stopped.
 */
public final class ClusterMembership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);
    /** Between attempts to reach a quorum at start-up, which fail at once while no leader is elected. */
    private static final long RETRY_PAUSE_MS = 500;
    /** Attempts between two "waiting" lines in the log, about ten seconds. */
    private static final int WAITING_LOGGED_EVERY = 20;

    private final LocalBroker broker;
    private final MetadataQuorum quorum;
    private final BrokerLiveness liveness;
    private final ClusterProperties properties;
    private final ScheduledExecutorService scheduler;
    /**
     * This broker's broker epoch, as its last registration answered it (Kafka's BrokerRegistrationResponse):
     * its replica fetchers send it, so that a leader's view of this log counts for this incarnation only.
     */
    private volatile long brokerEpoch = BrokerRegistration.UNKNOWN_EPOCH;

    public ClusterMembership(LocalBroker broker, MetadataQuorum quorum, BrokerLiveness liveness,
            ClusterProperties properties, ScheduledExecutorService scheduler) {
        this.broker = broker;
        this.quorum = quorum;
        this.liveness = liveness;
        this.properties = properties;
        this.scheduler = scheduler;
    }

    /**
     * Joins the quorum (a broker-only node as a non-voting member) and registers this broker, retrying
     * until a quorum of voters is up, then starts heartbeating.
     */
    public void start() {
        long deadline = System.nanoTime() + properties.getStartupTimeout().toNanos();
        for (int attempt = 0; ; attempt++) {
            try {
                quorum.join();
                registerMetadataLogDirectory();
                register();
                break;
            } catch (MetadataException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("No quorum of the voters " + properties.getVoters()
                            + " registered this broker within " + properties.getStartupTimeout(), e);
                }
                if (attempt % WAITING_LOGGED_EVERY == 0) {
                    log.info("Waiting for a quorum of the voters {}: {}", properties.getVoters(), e.getMessage());
                }
                pauseBeforeRetrying();
            }
        }
        long interval = properties.getHeartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::fenceExpired, interval / 2, interval / 2, TimeUnit.MILLISECONDS);
    }

    private void register() {
        long epoch = quorum.submit(new RegisterBroker(broker.nodeId(), broker.host(), broker.port(), broker.httpPort(),
                broker.listeners(), broker.rack())).orThrow();
        // A controller from before broker epochs answers 0, which no registration's log index is (index 0 holds
        // the first Raft leader's configuration): then the epoch is unknown, and not checked.
        brokerEpoch = epoch > 0 ? epoch : BrokerRegistration.UNKNOWN_EPOCH;
        log.info("Broker {} registered with listeners {} in broker epoch {}", broker.nodeId(), broker.listeners(),
                brokerEpoch);
    }

    /** This broker's broker epoch, {@link BrokerRegistration#UNKNOWN_EPOCH} until it registered. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    private static void pauseBeforeRetrying() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the metadata quorum", e);
        }
    }

    /** Tells the quorum which storage this node's copy of the metadata log is on, once per storage. */
    private void registerMetadataLogDirectory() {
        MetaProperties meta = quorum.meta();
        if (!meta.directoryId().equals(quorum.image().metadataLogDirectories().get(broker.nodeId()))) {
            quorum.submit(new RegisterMetadataLogDirectory(broker.nodeId(), meta.directoryId())).orThrow();
        }
    }

    private void heartbeat() {
        try {
            if (!quorum.heartbeat(broker.nodeId())) {
                log.warn("The controller fenced broker {}; registering again", broker.nodeId());
                // Fenced long enough, a voter may have been removed from the quorum meanwhile: back as a listener.
                quorum.join();
                register();
            }
        } catch (RuntimeException e) {
            log.debug("Heartbeat failed: {}", e.toString());
        }
    }

    private void fenceExpired() {
        try {
            if (quorum.leaderId() != broker.nodeId()) {
                return;
            }
            for (int expired : liveness.expired(quorum.image())) {
                if (quorum.leaderId() != broker.nodeId()) {
                    return; // no longer the controller: its list of expired brokers means nothing
                }
                log.warn("Broker {} sent no heartbeat for {}: fencing it", expired, properties.getBrokerSessionTimeout());
                CommandResult result = quorum.submitAsController(new FenceBroker(expired));
                if (result.error() != Errors.NONE) {
                    log.warn("Could not fence broker {}: {}", expired, result.message());
                }
            }
        } catch (RuntimeException e) {
            log.debug("Fencing check failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
