package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.UnregisterBroker;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The metadata state machine moving partitions (KIP-455), creating them on replicas a client chose,
 * and forgetting retired brokers, command by command as the Raft log applies them.
 */
class PartitionReassignmentTest {

    private final ClusterState state = new ClusterState(MetadataImage.EMPTY);

    private void registerBrokers(int... ids) {
        for (int id : ids) {
            assertThat(state.apply(new RegisterBroker(id, "127.0.0.1", 9000 + id)).error()).isEqualTo(Errors.NONE);
        }
    }

    /** A one-partition topic on exactly these replicas, the first one leading. */
    private void createOn(String topic, List<Integer> replicas) {
        assertThat(state.apply(CreateTopic.assigned(topic, Uuid.randomUuid(), List.of(replicas), Map.of())).error())
                .isEqualTo(Errors.NONE);
    }

    private Errors reassign(String topic, List<Integer> target) {
        return state.apply(new ReassignPartition(topic, 0, target, true)).error();
    }

    private Errors cancel(String topic) {
        return state.apply(new ReassignPartition(topic, 0, null, true)).error();
    }

    /** The leader of {@code topic}-0 reports {@code isr}, in its current epoch. */
    private Errors leaderReports(String topic, List<Integer> isr) {
        PartitionState current = partition(topic);
        return state.apply(new AlterPartition(topic, 0, current.leader(), current.leaderEpoch(), isr)).error();
    }

    private PartitionState partition(String topic) {
        return state.image().partition(topic, 0).orElseThrow();
    }

    @Test
    void aMoveAddsReplicasOutsideTheIsrAndCompletesOnceTheyAreInSync() {
        registerBrokers(0, 1, 2, 3);
        createOn("t", List.of(0, 1, 2));

        assertThat(reassign("t", List.of(3, 0, 1))).isEqualTo(Errors.NONE);
        PartitionState moving = partition("t");
        assertThat(moving.replicas()).as("target, then those removed").containsExactly(3, 0, 1, 2);
        assertThat(moving.adding()).containsExactly(3);
        assertThat(moving.removing()).containsExactly(2);
        assertThat(moving.isr()).containsExactly(0, 1, 2);
        assertThat(moving.leader()).isZero();
        assertThat(moving.leaderEpoch()).as("adding replicas keeps the epoch").isZero();
        assertThat(moving.isUnderReplicated()).isFalse();

        assertThat(leaderReports("t", List.of(0, 1, 2, 3))).isEqualTo(Errors.NONE);
        PartitionState moved = partition("t");
        assertThat(moved.replicas()).containsExactly(3, 0, 1);
        assertThat(moved.isr()).containsExactlyInAnyOrder(0, 1, 3);
        assertThat(moved.isReassigning()).isFalse();
        assertThat(moved.leader()).as("the leader the move keeps stays, as in Kafka; the preferred replica takes over "
                + "at the controller's next preferred election").isZero();
        assertThat(moved.leaderEpoch()).isEqualTo(1);
    }

    @Test
    void leadershipMovesOffARemovedLeaderAndAMoveThatOnlyDropsReplicasCompletesAtOnceInANewEpoch() {
        registerBrokers(0, 1, 2, 3);
        createOn("t", List.of(0, 1, 2));
        createOn("u", List.of(0, 1, 2));

        assertThat(reassign("t", List.of(1, 2, 3))).isEqualTo(Errors.NONE);
        assertThat(leaderReports("t", List.of(0, 1, 2, 3))).isEqualTo(Errors.NONE);
        assertThat(partition("t").replicas()).containsExactly(1, 2, 3);
        assertThat(partition("t").leader()).isEqualTo(1);
        assertThat(partition("t").leaderEpoch()).as("one new epoch for the new leader without replica 0").isEqualTo(1);
        assertThat(partition("t").isr()).doesNotContain(0);

        assertThat(reassign("u", List.of(0, 1))).isEqualTo(Errors.NONE);
        PartitionState shrunk = partition("u");
        assertThat(shrunk.replicas()).containsExactly(0, 1);
        assertThat(shrunk.isr()).containsExactly(0, 1);
        assertThat(shrunk.leader()).isZero();
        assertThat(shrunk.leaderEpoch()).as("a replica left: its fetches are fenced").isEqualTo(1);
        assertThat(shrunk.isReassigning()).isFalse();
    }

    @Test
    void aReplicaStillBeingAddedDoesNotTakeTheLeadershipBeforeTheMoveCompletes() {
        registerBrokers(0, 1, 2, 3, 4);
        createOn("t", List.of(0, 1, 2));
        assertThat(reassign("t", List.of(3, 4, 0))).isEqualTo(Errors.NONE);

        assertThat(leaderReports("t", List.of(0, 1, 2, 3))).isEqualTo(Errors.NONE);
        assertThat(partition("t").leader()).isZero();
        assertThat(partition("t").isReassigning()).isTrue();

        assertThat(leaderReports("t", List.of(0, 1, 2, 3, 4))).isEqualTo(Errors.NONE);
        assertThat(partition("t").replicas()).containsExactly(3, 4, 0);
        assertThat(partition("t").leader()).as("kept: it is among the target replicas").isZero();
    }

    @Test
    void cancellingReturnsToTheOriginalReplicasAndReplacingStartsFromAllReplicasAsKafkaDoes() {
        registerBrokers(0, 1, 2, 3, 4);
        createOn("t", List.of(0, 1, 2));
        assertThat(cancel("t")).isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS);

        assertThat(reassign("t", List.of(3, 4, 2))).isEqualTo(Errors.NONE);
        assertThat(leaderReports("t", List.of(0, 1, 2, 3))).isEqualTo(Errors.NONE);
        assertThat(cancel("t")).isEqualTo(Errors.NONE);
        PartitionState reverted = partition("t");
        assertThat(reverted.replicas()).as("Kafka's revert: the order the move gave them").containsExactly(2, 0, 1);
        assertThat(reverted.isr()).as("an added replica leaves even in sync").containsExactly(0, 1, 2);
        assertThat(reverted.isReassigning()).isFalse();
        assertThat(reverted.leader()).as("the leader stays").isZero();
        assertThat(reverted.leaderEpoch()).isEqualTo(1);
        assertThat(cancel("t")).isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS);

        assertThat(reassign("t", List.of(3, 4, 2))).isEqualTo(Errors.NONE);
        assertThat(reassign("t", List.of(0, 1, 4))).isEqualTo(Errors.NONE);
        PartitionState replaced = partition("t");
        assertThat(replaced.replicas()).containsExactly(0, 1, 4, 2, 3);
        assertThat(replaced.adding()).as("only what the partition did not have").isEmpty();
        assertThat(replaced.removing()).containsExactly(2, 3);
        assertThat(cancel("t")).isEqualTo(Errors.NONE);
        assertThat(partition("t").replicas()).containsExactly(0, 1, 4, 2, 3);
    }

    @Test
    void aCancelThatWouldNeedAnUncleanElectionIsRefused() {
        registerBrokers(0, 1, 2);
        createOn("t", List.of(0));
        assertThat(reassign("t", List.of(1, 2))).isEqualTo(Errors.NONE);
        assertThat(leaderReports("t", List.of(0, 1))).isEqualTo(Errors.NONE);
        state.apply(new FenceBroker(0));
        PartitionState onlyAdded = partition("t");
        assertThat(onlyAdded.isr()).containsExactly(1);
        assertThat(onlyAdded.leader()).isEqualTo(1);

        CommandResult refused = state.apply(new ReassignPartition("t", 0, null, true));
        assertThat(refused.error()).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(refused.message()).contains("unclean leader election");
        assertThat(partition("t")).isEqualTo(onlyAdded);
    }

    @Test
    void badTargetsAreRefusedWithKafkasErrorsAndChangeNothing() {
        registerBrokers(0, 1, 2, 3);
        createOn("t", List.of(0, 1, 2));
        MetadataImage before = state.image();

        assertThat(reassign("t", List.of(0, 1, 7))).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(reassign("t", List.of(0, 1, 1))).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(reassign("t", List.of())).isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(reassign("nope", List.of(0))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(state.apply(new ReassignPartition("t", 1, List.of(0), true)).error())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        CommandResult rf = state.apply(new ReassignPartition("t", 0, List.of(0, 1, 2, 3), false));
        assertThat(rf.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(rf.message()).isEqualTo("The replication factor is changed from 3 to 4");
        assertThat(reassign("t", List.of(0, 1, 2))).as("the replicas it has: nothing to do").isEqualTo(Errors.NONE);

        assertThat(state.image()).isEqualTo(before);
    }

    @Test
    void aFencedTargetReplicaHoldsTheMoveUntilItReturnsAndALeaderFencedMidMoveHandsOverToATargetReplica() {
        registerBrokers(0, 1, 2, 3);
        createOn("t", List.of(0, 1, 2));
        assertThat(reassign("t", List.of(3, 1, 2))).isEqualTo(Errors.NONE);

        state.apply(new FenceBroker(3));
        assertThat(leaderReports("t", List.of(0, 1, 2, 3))).isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(partition("t").isReassigning()).isTrue();

        state.apply(new FenceBroker(0));
        PartitionState leaderGone = partition("t");
        assertThat(leaderGone.leader()).as("the first in-sync target replica").isEqualTo(1);
        assertThat(leaderGone.isr()).containsExactly(1, 2);
        assertThat(leaderGone.replicas()).containsExactly(3, 1, 2, 0);

        state.apply(new RegisterBroker(3, "127.0.0.1", 9003));
        assertThat(leaderReports("t", List.of(1, 2, 3))).isEqualTo(Errors.NONE);
        PartitionState moved = partition("t");
        assertThat(moved.replicas()).containsExactly(3, 1, 2);
        assertThat(moved.leader()).as("kept: it is among the target replicas").isEqualTo(1);
        assertThat(moved.isReassigning()).isFalse();
    }

    @Test
    void onlyAStoppedBrokerWithoutReplicasIsUnregisteredAndItMayRegisterAgainLater() {
        registerBrokers(0, 1, 2);
        createOn("t", List.of(0, 1));

        assertThat(state.apply(new UnregisterBroker(9)).error()).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED);
        assertThat(state.apply(new UnregisterBroker(2)).error()).as("running").isEqualTo(Errors.INVALID_REQUEST);
        state.apply(new FenceBroker(1));
        CommandResult holding = state.apply(new UnregisterBroker(1));
        assertThat(holding.error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(holding.message()).contains("t-0");

        assertThat(reassign("t", List.of(0, 2))).isEqualTo(Errors.NONE);
        assertThat(leaderReports("t", List.of(0, 2))).isEqualTo(Errors.NONE);
        assertThat(partition("t").replicas()).containsExactly(0, 2);
        assertThat(state.apply(new UnregisterBroker(1)).error()).isEqualTo(Errors.NONE);
        assertThat(state.image().brokers()).doesNotContainKey(1);
        assertThat(reassign("t", List.of(0, 1))).as("no longer a broker to move to").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);

        registerBrokers(1);
        assertThat(state.image().liveBrokers()).extracting(BrokerRegistration::nodeId).containsExactly(0, 1, 2);
    }

    @Test
    void manualAssignmentsPlaceReplicasAsAskedWithFencedBrokersOutOfTheIsr() {
        registerBrokers(0, 1, 2, 3);
        state.apply(new FenceBroker(0));
        assertThat(state.apply(CreateTopic.assigned("t", Uuid.randomUuid(), List.of(List.of(0, 1), List.of(2, 3)),
                Map.of())).error()).isEqualTo(Errors.NONE);
        List<PartitionState> partitions = state.image().topic("t").orElseThrow().partitions();
        assertThat(partitions.get(0).replicas()).containsExactly(0, 1);
        assertThat(partitions.get(0).isr()).containsExactly(1);
        assertThat(partitions.get(0).leader()).isEqualTo(1);
        assertThat(partitions.get(1)).isEqualTo(PartitionState.initial(List.of(2, 3)));

        assertThat(state.apply(CreateTopic.assigned("u", Uuid.randomUuid(), List.of(List.of(0)), Map.of())).error())
                .as("every replica fenced").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(state.apply(CreateTopic.assigned("u", Uuid.randomUuid(), List.of(List.of(1, 2), List.of(3)),
                Map.of())).error()).as("inconsistent sizes").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(state.image().topics()).doesNotContainKey("u");

        assertThat(state.apply(new CreatePartitions("t", 3, List.of(List.of(3, 1)))).error()).isEqualTo(Errors.NONE);
        assertThat(state.image().partition("t", 2).orElseThrow().replicas()).containsExactly(3, 1);
        assertThat(state.apply(new CreatePartitions("t", 5, List.of(List.of(3, 1)))).error())
                .as("one assignment for two partitions").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(state.apply(new CreatePartitions("t", 4, List.of(List.of(3)))).error())
                .as("replication factor 2").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(state.image().topic("t").orElseThrow().partitions()).hasSize(3);
    }
}
