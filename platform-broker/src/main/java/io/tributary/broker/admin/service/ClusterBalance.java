package io.tributary.broker.admin.service;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.cluster.balancer.BalancePlanner;
import io.tributary.broker.cluster.balancer.SelfBalancer;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.type.TypeReference;

/**
 * The self-balancer as an operator follows it: whether it is on, its last round's plan, the moves in
 * flight, and replicas and preferred leaders per live broker. Only the controller plans, so another
 * broker asks the controller; should it not answer, the broker shows what its own metadata says and
 * which broker is the controller.
 */
public final class ClusterBalance {

    /** The balancer's settings ({@code tributary.cluster.balancer.*}). */
    public record Settings(String interval, int maxConcurrentMoves, int allowedSpread, long throttleRate,
            double allowedDiskSpread, long minDiskImbalance) {
    }

    /** A replica move or a reorder the balancer planned. */
    public record PlannedMove(String topic, int partition, List<Integer> from, List<Integer> to) {
    }

    /**
     * The controller's last round.
     *
     * @param trigger       INTERVAL, BROKERS_CHANGED or MOVES_FINISHED
     * @param movesInFlight partitions moving in the cluster when it started
     * @param failures      moves and reorders that could not start, and why
     */
    public record Round(String at, String trigger, int movesInFlight, List<PlannedMove> moves, List<PlannedMove> reorders,
            int replicaSpreadBefore, int replicaSpreadAfter, int leaderSpreadBefore, int leaderSpreadAfter,
            Map<Integer, Long> diskBytesBefore, Map<Integer, Long> diskBytesAfter, List<String> failures) {
    }

    /** A partition moving, by the balancer or by anyone else. */
    public record MoveInFlight(String topic, int partition, List<Integer> replicas, List<Integer> adding,
            List<Integer> removing, boolean byBalancer) {
    }

    /**
     * The balancer as the answering broker ({@code nodeId}) sees it.
     *
     * @param lastRound         the controller's last round; {@code null} before its first, or when the
     *                          answer is not the controller's
     * @param replicasPerBroker replicas per live broker, partitions that move counted where they are headed
     * @param leadersPerBroker  preferred leaderships (first replicas) per live broker
     * @param diskBytesPerBroker bytes of partition data per live broker, from the sizes the brokers reported at
     *                          the controller's last round (empty when the answer is not the controller's)
     * @param throttleRatesSet  the cluster-wide default rates the balancer set and will take back
     * @param note              why the answer is not the controller's, or {@code null}
     */
    public record Status(int nodeId, int controllerId, boolean enabled, Settings settings, Round lastRound,
            long movesStarted, List<MoveInFlight> movesInFlight, Map<Integer, Integer> replicasPerBroker,
            Map<Integer, Integer> leadersPerBroker, int replicaSpread, int leaderSpread,
            Map<Integer, Long> diskBytesPerBroker, Map<String, String> throttleRatesSet, String note) {
    }

    private static final TypeReference<Status> STATUS = new TypeReference<>() {
    };

    private final ClusterMetadata metadata;
    private final int selfId;
    private final SelfBalancer balancer;
    private final PeerBrokers peers;
    private final AdminAuthorization authorization;

    /** @param balancer the cluster's self-balancer, {@code null} on a single node */
    public ClusterBalance(ClusterMetadata metadata, int selfId, SelfBalancer balancer, PeerBrokers peers,
            AdminAuthorization authorization) {
        this.metadata = metadata;
        this.selfId = selfId;
        this.balancer = balancer;
        this.peers = peers;
        this.authorization = authorization;
    }

    public Status status() {
        authorization.check(AclOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster", ApiKeys.LIST_PARTITION_REASSIGNMENTS);
        if (balancer == null) {
            return singleNode();
        }
        SelfBalancer.Status local = balancer.status();
        int controller = local.controllerId();
        if (controller == selfId) {
            return view(local, null);
        }
        if (controller < 0) {
            return view(local, "There is no controller at the moment (the metadata quorum is electing one).");
        }
        if (!peers.mayForward()) {
            return view(local, "Broker " + controller + " is the controller; broker " + selfId + " was asked by another broker.");
        }
        try {
            return peers.get(controller, "/api/cluster/balancer", STATUS);
        } catch (ErrorResponseException e) {
            String detail = e.getBody().getDetail();
            return view(local, "Broker " + controller + " is the controller and plans the balance; it could not be asked: "
                    + (detail == null ? e.getMessage() : detail));
        }
    }

    private Status view(SelfBalancer.Status status, String note) {
        Settings settings = new Settings(status.interval().toString(), status.maxConcurrentMoves(), status.allowedSpread(),
                status.throttleRate(), status.allowedDiskSpread(), status.minDiskImbalance());
        SelfBalancer.Round round = status.lastRound();
        Round last = round == null ? null : new Round(round.at().toString(), round.trigger().name(), round.movesInFlight(),
                planned(round.plan().moves()), planned(round.plan().reorders()), round.plan().spreadBefore(),
                round.plan().spreadAfter(), round.plan().leaderSpreadBefore(), round.plan().leaderSpreadAfter(),
                round.plan().diskBytesBefore(), round.plan().diskBytesAfter(), round.failures());
        List<MoveInFlight> moving = status.movesInFlight().stream().map(m -> new MoveInFlight(m.topic(), m.partition(),
                m.replicas(), m.adding(), m.removing(), m.byBalancer())).toList();
        return new Status(status.nodeId(), status.controllerId(), status.enabled(), settings, last, status.movesStarted(),
                moving, status.replicasPerBroker(), status.leadersPerBroker(), BalancePlanner.spread(status.replicasPerBroker()),
                BalancePlanner.spread(status.leadersPerBroker()), status.diskBytesPerBroker(), status.throttleRatesSet(), note);
    }

    private static List<PlannedMove> planned(List<BalancePlanner.Move> moves) {
        return moves.stream().map(m -> new PlannedMove(m.topic(), m.partition(), m.from(), m.to())).toList();
    }

    /** A single node holds every replica and leads every partition: there is nothing to balance. */
    private Status singleNode() {
        int replicas = 0;
        for (TopicInfo topic : metadata.topics()) {
            replicas += topic.partitionCount();
        }
        Map<Integer, Integer> counts = new TreeMap<>(Map.of(selfId, replicas));
        return new Status(selfId, selfId, false, null, null, 0, List.of(), counts, counts, 0, 0, Map.of(), Map.of(),
                "A single node has nothing to balance: the self-balancer runs in a cluster (tributary.cluster.balancer.enabled).");
    }
}
