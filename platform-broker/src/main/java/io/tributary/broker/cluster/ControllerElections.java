package io.tributary.broker.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader elections the controller makes by itself, as Kafka's controller does, while this broker
 * is the controller:
 * <ul>
 * <li>auto leader rebalance ({@code auto-leader-rebalance-enable}): every
 *     {@code leader-imbalance-check-interval}, a partition whose preferred replica is live and in sync
 *     but does not lead gets it back as leader;</li>
 * <li>unclean election: a partition left without a leader whose topic allows it
 *     ({@code unclean.leader.election.enable}: the topic's config, else this controller's broker config —
 *     its own dynamic value, the cluster-wide one, its static one) gets a live out-of-sync replica as
 *     leader, checked whenever the metadata changes and at every heartbeat interval.</li>
 * </ul>
 * Which replica is elected, with which ISR and epoch, is decided by {@link ClusterState} when it
 * applies the {@link ElectLeader} this submits, so every broker's metadata agrees.
 *
 * <p>Thread-safe: checks run on one thread of their own.
 */
public final class ControllerElections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerElections.class);

    private final int nodeId;
    private final MetadataQuorum quorum;
    private final BrokerConfigs configs;
    private final boolean autoLeaderRebalance;
    private final Duration leaderImbalanceCheckInterval;
    private final Duration uncleanCheckInterval;
    private final AtomicBoolean uncleanCheckPending = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;

    public ControllerElections(int nodeId, MetadataQuorum quorum, BrokerConfigs configs, boolean autoLeaderRebalance,
            Duration leaderImbalanceCheckInterval, Duration uncleanCheckInterval) {
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.configs = configs;
        this.autoLeaderRebalance = autoLeaderRebalance;
        this.leaderImbalanceCheckInterval = leaderImbalanceCheckInterval;
        this.uncleanCheckInterval = uncleanCheckInterval;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-elections-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        long unclean = uncleanCheckInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::electUncleanLeaders, unclean, unclean, TimeUnit.MILLISECONDS);
        // A fencing or a changed config may leave a partition to elect uncleanly: look at once, not a period later.
        quorum.onChange(image -> {
            if (!scheduler.isShutdown() && uncleanCheckPending.compareAndSet(false, true)) {
                try {
                    scheduler.execute(this::electUncleanLeaders);
                } catch (RejectedExecutionException e) {
                    // Closed meanwhile: this broker is stopping.
                }
            }
        });
        if (autoLeaderRebalance) {
            long interval = leaderImbalanceCheckInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::electPreferredLeaders, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    private void electPreferredLeaders() {
        try {
            if (quorum.leaderId() != nodeId) {
                return;
            }
            for (TopicPartition partition : preferredElections(quorum.image())) {
                if (elect(partition, ElectionType.PREFERRED)) {
                    log.info("Leader of {} given back to its preferred replica", partition);
                }
            }
        } catch (RuntimeException e) {
            log.debug("Preferred leader check failed: {}", e.toString());
        }
    }

    private void electUncleanLeaders() {
        uncleanCheckPending.set(false);
        try {
            if (quorum.leaderId() != nodeId) {
                return;
            }
            MetadataImage image = quorum.image();
            for (TopicPartition partition : uncleanElections(image, topic -> configs.uncleanLeaderElectionEnable(topic.configs()))) {
                if (elect(partition, ElectionType.UNCLEAN)) {
                    PartitionState state = quorum.image().partition(partition.topic(), partition.partition()).orElseThrow();
                    log.warn("Unclean leader election for {}: broker {} leads it out of sync in epoch {}; the records it"
                            + " lacks are lost (unclean.leader.election.enable)", partition, state.leader(), state.leaderEpoch());
                }
            }
        } catch (RuntimeException e) {
            log.debug("Unclean leader election check failed: {}", e.toString());
        }
    }

    private boolean elect(TopicPartition partition, ElectionType type) {
        CommandResult result = quorum.submitAsController(new ElectLeader(partition.topic(), partition.partition(), type));
        return result.error() == Errors.NONE;
    }

    /** Partitions whose preferred replica is live and in sync but does not lead. */
    static List<TopicPartition> preferredElections(MetadataImage image) {
        List<TopicPartition> partitions = new ArrayList<>();
        forEachPartition(image, (topic, index, state) -> {
            int preferred = state.preferredLeader();
            if (state.leader() != preferred && state.isr().contains(preferred) && isLive(image, preferred)) {
                partitions.add(new TopicPartition(topic.name(), index));
            }
        });
        return partitions;
    }

    /** Partitions without a leader that a live replica could lead, of the topics that allow an unclean election. */
    static List<TopicPartition> uncleanElections(MetadataImage image, Predicate<TopicInfo> uncleanAllowed) {
        List<TopicPartition> partitions = new ArrayList<>();
        forEachPartition(image, (topic, index, state) -> {
            if (state.leader() == PartitionState.NO_LEADER && state.replicas().stream().anyMatch(r -> isLive(image, r))
                    && uncleanAllowed.test(topic)) {
                partitions.add(new TopicPartition(topic.name(), index));
            }
        });
        return partitions;
    }

    private interface PartitionVisitor {
        void visit(TopicInfo topic, int index, PartitionState state);
    }

    private static void forEachPartition(MetadataImage image, PartitionVisitor visitor) {
        for (TopicState topic : image.topics().values()) {
            for (int index = 0; index < topic.partitions().size(); index++) {
                visitor.visit(topic.info(), index, topic.partitions().get(index));
            }
        }
    }

    private static boolean isLive(MetadataImage image, int node) {
        BrokerRegistration broker = image.brokers().get(node);
        return broker != null && !broker.fenced();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
