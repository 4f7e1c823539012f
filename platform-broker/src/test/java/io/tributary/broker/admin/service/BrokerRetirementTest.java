package io.tributary.broker.admin.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.admin.service.BrokerRetirement.Move;
import io.tributary.broker.admin.service.BrokerRetirement.Partition;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** How a drain chooses where each replica of the retiring broker goes. */
class BrokerRetirementTest {

    @Test
    void eachReplicaGoesToTheLeastLoadedBrokerNotAlreadyHoldingThePartitionKeepingTheReplicationFactor() {
        Map<Partition, PartitionState> partitions = new TreeMap<>();
        partitions.put(new Partition("a", 0), PartitionState.initial(List.of(3, 0, 1)));
        partitions.put(new Partition("a", 1), PartitionState.initial(List.of(0, 1, 3)));
        partitions.put(new Partition("a", 2), PartitionState.initial(List.of(1, 2, 3)));
        partitions.put(new Partition("b", 0), PartitionState.initial(List.of(3)));
        partitions.put(new Partition("b", 1), PartitionState.initial(List.of(0, 1)));

        List<Move> moves = BrokerRetirement.plan(3, List.of(0, 1, 2), partitions);

        // Load before: broker 0 holds 3 replicas, broker 1 four, broker 2 one.
        assertThat(moves).extracting(m -> m.topic() + "-" + m.partition() + " " + m.to())
                .containsExactly("a-0 [0, 1, 2]", "a-1 [0, 1, 2]", "a-2 [1, 2, 0]", "b-0 [2]");
        assertThat(moves).allSatisfy(m -> assertThat(m.to()).hasSameSizeAs(m.from()).doesNotContain(3));
        assertThat(moves.get(0).from()).containsExactly(3, 0, 1);
    }

    @Test
    void aPartitionAlreadyLeavingTheBrokerIsLeftAloneAndOneThatCannotKeepItsReplicasRefusesTheDrain() {
        Map<Partition, PartitionState> partitions = new TreeMap<>();
        partitions.put(new Partition("leaving", 0),
                new PartitionState(0, 0, List.of(0, 1, 3), List.of(0, 3), List.of(1), List.of(3)));
        assertThat(BrokerRetirement.plan(3, List.of(0, 1), partitions)).isEmpty();

        partitions.put(new Partition("wide", 0), PartitionState.initial(List.of(0, 1, 3)));
        assertThatThrownBy(() -> BrokerRetirement.plan(3, List.of(0, 1), partitions))
                .isInstanceOfSatisfying(MetadataException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR))
                .hasMessageContaining("wide-0 cannot keep its 3 replicas without broker 3");
    }

    @Test
    void aReplacementKeepsThePartitionOnAsManyRacksAsItCanBeforeBalancingLoad() {
        Map<Integer, String> racks = Map.of(0, "a", 1, "b", 2, "c", 3, "c", 4, "a");
        Map<Partition, PartitionState> partitions = new TreeMap<>();
        partitions.put(new Partition("spread", 0), PartitionState.initial(List.of(0, 1, 3)));
        partitions.put(new Partition("busy", 0), PartitionState.initial(List.of(2, 1)));
        partitions.put(new Partition("busy", 1), PartitionState.initial(List.of(2, 0)));

        List<Move> moves = BrokerRetirement.plan(3, List.of(0, 1, 2, 4), racks, partitions);

        // Broker 2 is the busiest of the others, but the only one in rack c, the rack broker 3 leaves.
        assertThat(moves).singleElement().satisfies(move -> assertThat(move.to()).containsExactly(0, 1, 2));
        assertThat(BrokerRetirement.plan(3, List.of(0, 1, 2, 4), partitions)).singleElement()
                .satisfies(move -> assertThat(move.to()).as("without racks, the least loaded").containsExactly(0, 1, 4));
    }
}
