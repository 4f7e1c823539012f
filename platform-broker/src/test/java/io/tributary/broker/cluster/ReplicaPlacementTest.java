package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Where new partitions' replicas go, with and without racks (KIP-36). */
class ReplicaPlacementTest {

    /** A cluster: each broker's rack, null for a broker in no rack. */
    record Layout(List<Integer> brokers, Map<Integer, String> racks) {
    }

    @Provide
    Arbitrary<Layout> layouts() {
        return Arbitraries.integers().between(1, 9).flatMap(size -> Combinators.combine(
                Arbitraries.integers().between(0, 20).set().ofSize(size),
                Arbitraries.of("a", "b", "c", "d", null).list().ofSize(size)).as((ids, racks) -> {
                    List<Integer> brokers = new ArrayList<>(new java.util.TreeSet<>(ids));
                    Map<Integer, String> byBroker = new HashMap<>();
                    for (int i = 0; i < brokers.size(); i++) {
                        if (racks.get(i) != null) {
                            byBroker.put(brokers.get(i), racks.get(i));
                        }
                    }
                    return new Layout(brokers, byBroker);
                }));
    }

    @Property(tries = 300)
    void everyPartitionGetsDistinctLiveBrokersOnAsManyRacksAsPossible(@ForAll("layouts") Layout layout,
            @ForAll @IntRange(min = 1, max = 9) int replicationFactor, @ForAll @LongRange(min = 0, max = 50) long cursor,
            @ForAll @IntRange(min = 1, max = 12) int partitions) {
        int rf = Math.min(replicationFactor, layout.brokers().size());
        List<List<Integer>> placed = ReplicaPlacement.place(layout.brokers(), layout.racks(), cursor, partitions, rf);
        Set<String> allRacks = new HashSet<>();
        layout.brokers().forEach(b -> allRacks.add(rackOf(layout, b)));
        assertThat(placed).hasSize(partitions);
        for (List<Integer> replicas : placed) {
            assertThat(replicas).hasSize(rf).doesNotHaveDuplicates();
            assertThat(layout.brokers()).containsAll(replicas);
            long racksSpanned = replicas.stream().map(b -> rackOf(layout, b)).distinct().count();
            assertThat(racksSpanned).isEqualTo(Math.min(rf, allRacks.size()));
        }
    }

    @Property(tries = 100)
    void withoutRacksPlacementIsPlainRoundRobin(@ForAll @IntRange(min = 1, max = 7) int size,
            @ForAll @IntRange(min = 1, max = 7) int replicationFactor, @ForAll @LongRange(min = 0, max = 50) long cursor) {
        List<Integer> brokers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            brokers.add(i * 2);
        }
        int rf = Math.min(replicationFactor, size);
        List<List<Integer>> placed = ReplicaPlacement.place(brokers, Map.of(), cursor, 5, rf);
        for (int p = 0; p < 5; p++) {
            for (int r = 0; r < rf; r++) {
                assertThat(placed.get(p).get(r)).isEqualTo(brokers.get((int) ((cursor + p + r) % size)));
            }
        }
    }

    @Test
    void leadersAreSpreadOverEveryBrokerAndRack() {
        List<Integer> brokers = List.of(0, 1, 2, 3, 4, 5);
        Map<Integer, String> racks = Map.of(0, "a", 1, "a", 2, "b", 3, "b", 4, "c", 5, "c");
        List<List<Integer>> placed = ReplicaPlacement.place(brokers, racks, 0, 6, 3);
        Map<Integer, Integer> leaders = new TreeMap<>();
        for (List<Integer> replicas : placed) {
            leaders.merge(replicas.get(0), 1, Integer::sum);
            assertThat(replicas.stream().map(racks::get).distinct()).hasSize(3);
        }
        assertThat(leaders).containsOnlyKeys(brokers).allSatisfy((broker, count) -> assertThat(count).isEqualTo(1));
    }

    private static String rackOf(Layout layout, int broker) {
        return layout.racks().getOrDefault(broker, "none-" + broker);
    }
}
