package io.tributary.broker.cluster.balancer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.MetadataQuorum;
import io.tributary.broker.cluster.TopicState;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-balancer ({@code tributary.cluster.balancer.enabled}, off by default). While this broker is the
 * controller, every {@code interval} — and a moment after a broker joins or leaves, or one of its moves
 * finishes — it plans a round with {@link BalancePlanner} and starts it through the quorum:
 * <ul>
 * <li>replica moves, as reassignments (KIP-455), no more than {@code max-concurrent-moves} partitions
 *     moving at once in the whole cluster (other reassignments included), each throttled
 *     ({@link BalancerThrottles});</li>
 * <li>replica moves and swaps that even out disk use, from the partition sizes every live broker reports
 *     at the start of the round through DescribeLogDirs ({@link LogDirSampler});</li>
 * <li>reorders of a partition's replicas that make another in-sync replica its preferred leader: a
 *     reassignment to the same replicas completes at once and hands the leadership over, and a
 *     preferred election follows where it did not.</li>
 * </ul>
 * It never takes a partition below {@code min.insync.replicas}: it only moves partitions whose every
 * replica is in sync, and a move adds the new replica before it drops the old one (see
 * {@link BalancePlanner}). Which replica leads, and when a move completes, is decided by the metadata
 * state machine as for any reassignment.
 *
 * <p>Thread-safe: rounds run on one thread of their own; the status and the figures are read from any.
 */
public final class SelfBalancer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SelfBalancer.class);

    /**
     * How long after a broker joined or left, or a move finished, the round starts: such a change comes as
     * several metadata commands in a row (a registration and the ISR changes after it, a completion and the
     * leader it elects), and one round should see them all.
     */
    private static final Duration TRIGGER_DELAY = Duration.ofSeconds(1);

    /** What started a round. */
    public enum Trigger { INTERVAL, BROKERS_CHANGED, MOVES_FINISHED }

    /**
     * One round on the controller.
     *
     * @param movesInFlight partitions moving in the cluster when it started
     * @param failures      the moves and reorders that could not start, and why
     */
    public record Round(Instant at, Trigger trigger, int movesInFlight, BalancePlanner.Plan plan, List<String> failures) {
    }

    /** A partition moving in the cluster; {@code byBalancer} when this broker's balancer started it. */
    public record InFlight(String topic, int partition, List<Integer> replicas, List<Integer> adding,
            List<Integer> removing, boolean byBalancer) {
    }

    /**
     * The balancer as this broker sees it.
     *
     * @param lastRound        this broker's last round while it is the controller, {@code null} otherwise
     * @param movesStarted     replica moves this broker's balancer started since it started
     * @param throttleRatesSet the cluster-wide default rates the balancer set and will take back
     */
    public record Status(boolean enabled, int nodeId, int controllerId, Duration interval, int maxConcurrentMoves,
            int allowedSpread, long throttleRate, double allowedDiskSpread, long minDiskImbalance, Round lastRound,
            long movesStarted, List<InFlight> movesInFlight,
            Map<Integer, Integer> replicasPerBroker, Map<Integer, Integer> leadersPerBroker,
            Map<Integer, Long> diskBytesPerBroker, Map<String, String> throttleRatesSet) {
    }

    private final int nodeId;
    private final MetadataQuorum quorum;
    private final ClusterProperties.Balancer settings;
    private final BalancerThrottles throttles;
    private final Function<MetadataImage, DiskUsage> diskUsage;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean roundPending = new AtomicBoolean();
    private final AtomicLong movesStarted = new AtomicLong();
    /** The live brokers the metadata listener saw last (its thread only). */
    private Set<Integer> liveBrokers = Set.of();
    /** The balancer's moves in flight as of its last round, for the metadata listener to notice one finishing. */
    private volatile List<BalancerThrottles.Key> ownMoves = List.of();
    private volatile Map<String, String> ratesSet = Map.of();
    private volatile Round lastRound;
    /** What the brokers reported of their disks at the last round, as the controller. */
    private volatile DiskUsage lastUsage = DiskUsage.UNKNOWN;

    /** @param diskUsage asks the live brokers for their partitions' sizes ({@link LogDirSampler}) */
    public SelfBalancer(int nodeId, MetadataQuorum quorum, ClusterProperties.Balancer settings,
            Function<MetadataImage, DiskUsage> diskUsage) {
        if (settings.getMaxConcurrentMoves() < 1 || settings.getAllowedSpread() < 1 || settings.getInterval().isNegative()
                || settings.getInterval().isZero() || settings.getThrottleRate().toBytes() < 1) {
            throw new IllegalArgumentException("tributary.cluster.balancer: max-concurrent-moves, allowed-spread, interval"
                    + " and throttle-rate must be positive");
        }
        if (!(settings.getAllowedDiskSpread() > 0) || settings.getMinDiskImbalance().isNegative()) {
            throw new IllegalArgumentException("tributary.cluster.balancer: allowed-disk-spread must be positive and"
                    + " min-disk-imbalance not negative");
        }
        this.diskUsage = diskUsage;
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.settings = settings;
        this.throttles = new BalancerThrottles(settings.getThrottleRate().toBytes(), quorum::image,
                quorum::submit);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-balancer-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        if (!settings.isEnabled()) {
            return;
        }
        long interval = settings.getInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> round(Trigger.INTERVAL), interval, interval, TimeUnit.MILLISECONDS);
        liveBrokers = liveBrokerIds(quorum.image());
        quorum.onChange(this::changed);
    }

    /** On the thread applying the log: cheap checks only, the round itself runs on the balancer's thread. */
    private void changed(MetadataImage image) {
        Set<Integer> live = liveBrokerIds(image);
        if (!live.equals(liveBrokers)) {
            liveBrokers = live;
            trigger(Trigger.BROKERS_CHANGED);
        } else if (ownMoves.stream().anyMatch(key -> !BalancerThrottles.isMoving(image, key))) {
            trigger(Trigger.MOVES_FINISHED);
        }
    }

    private void trigger(Trigger trigger) {
        if (scheduler.isShutdown() || !roundPending.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(() -> round(trigger), TRIGGER_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: this broker is stopping.
        }
    }

    private void round(Trigger trigger) {
        roundPending.set(false);
        try {
            // A former controller still takes back the throttles of its moves; only the controller plans.
            throttles.releaseFinished();
            if (quorum.leaderId() != nodeId) {
                lastRound = null;
                lastUsage = DiskUsage.UNKNOWN;
                return;
            }
            DiskUsage usage = diskUsage.apply(quorum.image());
            lastUsage = usage;
            MetadataImage image = quorum.image();
            int moving = inFlight(image).size();
            int maxConcurrent = settings.getMaxConcurrentMoves();
            BalancePlanner.Plan plan = BalancePlanner.plan(image, usage, new BalancePlanner.Limits(
                    Math.max(0, maxConcurrent - moving), maxConcurrent, settings.getAllowedSpread(),
                    settings.getAllowedDiskSpread(), settings.getMinDiskImbalance().toBytes()));
            List<String> failures = new ArrayList<>();
            plan.moves().forEach(move -> startMove(move, failures));
            plan.reorders().forEach(reorder -> reorder(reorder, failures));
            lastRound = new Round(Instant.now(), trigger, moving, plan, List.copyOf(failures));
            if (!plan.isEmpty()) {
                log.info("Balancer round ({}): {} move(s), {} reorder(s); replica spread {} -> {}, leader spread {} -> {},"
                        + " bytes per broker {} -> {}", trigger, plan.moves().size(), plan.reorders().size(),
                        plan.spreadBefore(), plan.spreadAfter(), plan.leaderSpreadBefore(), plan.leaderSpreadAfter(),
                        plan.diskBytesBefore(), plan.diskBytesAfter());
            }
        } catch (RuntimeException e) {
            log.warn("Balancer round failed: {}", e.toString());
        } finally {
            ownMoves = throttles.keys();
            ratesSet = throttles.ratesSet();
        }
    }

    private void startMove(BalancePlanner.Move move, List<String> failures) {
        String name = move.topic() + "-" + move.partition();
        Optional<String> refused = throttles.throttle(move);
        if (refused.isPresent()) {
            failures.add(name + ": not throttled, not moved: " + refused.get());
            return;
        }
        try {
            CommandResult result = quorum.submitAsController(new ReassignPartition(move.topic(), move.partition(), move.to(), false));
            if (result.error() != Errors.NONE) {
                throttles.abandon(move);
                failures.add(name + ": " + result.error().name() + ": " + result.message());
                return;
            }
        } catch (MetadataException e) {
            // Perhaps committed after all: the next round takes the throttles back if it is not moving.
            failures.add(name + ": " + e.error().name() + ": " + e.getMessage());
            return;
        }
        movesStarted.incrementAndGet();
        log.info("Balancer: moving {} from {} to {}", name, move.from(), move.to());
    }

    private void reorder(BalancePlanner.Move reorder, List<String> failures) {
        String name = reorder.topic() + "-" + reorder.partition();
        try {
            CommandResult result = quorum.submitAsController(new ReassignPartition(reorder.topic(), reorder.partition(),
                    reorder.to(), false));
            if (result.error() != Errors.NONE) {
                failures.add(name + ": " + result.error().name() + ": " + result.message());
                return;
            }
            // The reassignment hands the leadership to the new preferred replica when it can; otherwise elect it.
            int leader = quorum.image().partition(reorder.topic(), reorder.partition()).map(PartitionState::leader)
                    .orElse(PartitionState.NO_LEADER);
            if (leader != reorder.to().get(0)) {
                CommandResult elected = quorum.submitAsController(new ElectLeader(reorder.topic(), reorder.partition(),
                        ElectionType.PREFERRED));
                if (elected.error() != Errors.NONE && elected.error() != Errors.ELECTION_NOT_NEEDED) {
                    failures.add(name + ": reordered, leader not moved: " + elected.error().name());
                }
            }
            log.info("Balancer: preferred leader of {} is now broker {}", name, reorder.to().get(0));
        } catch (MetadataException e) {
            failures.add(name + ": " + e.error().name() + ": " + e.getMessage());
        }
    }

    public Status status() {
        MetadataImage image = quorum.image();
        int controller = quorum.leaderId();
        Set<String> own = new TreeSet<>();
        ownMoves.forEach(key -> own.add(key.topic() + "-" + key.partition()));
        List<InFlight> moving = inFlight(image).stream().map(m -> new InFlight(m.topic(), m.partition(), m.replicas(),
                m.adding(), m.removing(), own.contains(m.topic() + "-" + m.partition()))).toList();
        return new Status(settings.isEnabled(), nodeId, controller, settings.getInterval(), settings.getMaxConcurrentMoves(),
                settings.getAllowedSpread(), settings.getThrottleRate().toBytes(), settings.getAllowedDiskSpread(),
                settings.getMinDiskImbalance().toBytes(), controller == nodeId ? lastRound : null,
                movesStarted.get(), moving, BalancePlanner.replicaCounts(image), BalancePlanner.leaderCounts(image),
                controller == nodeId ? BalancePlanner.diskBytes(image, lastUsage) : Map.of(), ratesSet);
    }

    /** Replica moves this broker's balancer started. */
    public long movesStarted() {
        return movesStarted.get();
    }

    /** Partitions moving in the cluster, whoever started them: what {@code max-concurrent-moves} bounds. */
    public int movesInFlight() {
        return inFlight(quorum.image()).size();
    }

    /** Most replicas on a live broker minus fewest. */
    public int replicaSpread() {
        return BalancePlanner.spread(BalancePlanner.replicaCounts(quorum.image()));
    }

    /** Most preferred leaderships of a live broker minus fewest. */
    public int leaderSpread() {
        return BalancePlanner.spread(BalancePlanner.leaderCounts(quorum.image()));
    }

    /**
     * The fullest live broker's bytes minus the emptiest's, as a fraction of the average, from the sizes the
     * brokers reported at this controller's last round; 0 when this broker is not the controller.
     */
    public double diskSpread() {
        Map<Integer, Long> bytes = BalancePlanner.diskBytes(quorum.image(), lastUsage);
        double average = bytes.values().stream().mapToLong(Long::longValue).average().orElse(0);
        if (quorum.leaderId() != nodeId || average == 0) {
            return 0;
        }
        return (bytes.values().stream().mapToLong(Long::longValue).max().orElseThrow()
                - bytes.values().stream().mapToLong(Long::longValue).min().orElseThrow()) / average;
    }

    private static List<InFlight> inFlight(MetadataImage image) {
        List<InFlight> moving = new ArrayList<>();
        for (TopicState topic : new TreeMap<>(image.topics()).values()) {
            for (int index = 0; index < topic.partitions().size(); index++) {
                PartitionState state = topic.partitions().get(index);
                if (state.isReassigning()) {
                    moving.add(new InFlight(topic.info().name(), index, state.replicas(), state.adding(), state.removing(),
                            false));
                }
            }
        }
        return moving;
    }

    private static Set<Integer> liveBrokerIds(MetadataImage image) {
        Set<Integer> ids = new TreeSet<>();
        image.liveBrokers().stream().map(BrokerRegistration::nodeId).forEach(ids::add);
        return ids;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
