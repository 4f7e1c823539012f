package io.tributary.broker.cluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.TopicState;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.metadata.TopicInfo;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The self-balancer's plans, for any cluster: safe moves only, and a spread that only shrinks. */
class BalancePlannerTest {

    @Property(tries = 300)
    void everyMoveIsSafeAndThePlanNeverWidensTheSpread(@ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int maxMoves,
            @ForAll @IntRange(min = 1, max = 3) int allowedSpread) {
        MetadataImage image = randomImage(new Random(seed));
        BalancePlanner.Plan plan = BalancePlanner.plan(image, Set.of(), maxMoves, allowedSpread);
        assertThat(plan.moves().size()).isLessThanOrEqualTo(maxMoves);
        assertThat(plan.spreadAfter()).isLessThanOrEqualTo(plan.spreadBefore());
        Set<Integer> live = new HashSet<>();
        image.liveBrokers().forEach(b -> live.add(b.nodeId()));
        Set<String> movedPartitions = new HashSet<>();
        for (BalancePlanner.Move move : plan.moves()) {
            assertThat(movedPartitions.add(move.topic() + "-" + move.partition())).as("moved once").isTrue();
            PartitionState state = image.partition(move.topic(), move.partition()).orElseThrow();
            assertThat(move.from()).isEqualTo(state.replicas());
            assertThat(state.isr()).containsExactlyInAnyOrderElementsOf(state.replicas());
            assertThat(move.to()).hasSameSizeAs(move.from()).doesNotHaveDuplicates();
            List<Integer> added = new ArrayList<>(move.to());
            added.removeAll(move.from());
            assertThat(added).hasSize(1);
            assertThat(live).containsAll(added);
            assertThat(racks(image, move.to())).isGreaterThanOrEqualTo(racks(image, move.from()));
        }
        assertThat(BalancePlanner.plan(image, Set.of(), maxMoves, allowedSpread)).as("deterministic").isEqualTo(plan);
    }

    @Test
    void aBrokerThatJoinedEmptyGetsItsShareAndMovingPartitionsAreLeftAlone() {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int id = 0; id < 4; id++) {
            brokers.put(id, new BrokerRegistration(id, "h", 9092 + id, -1, false));
        }
        List<PartitionState> partitions = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            List<Integer> replicas = List.of(p % 3, (p + 1) % 3, (p + 2) % 3);
            partitions.add(new PartitionState(replicas.get(0), 0, replicas, replicas));
        }
        MetadataImage image = image(brokers, Map.of("orders", partitions));
        BalancePlanner.Plan plan = BalancePlanner.plan(image, Set.of("orders-0"), 100, 1);
        assertThat(plan.replicasBefore()).containsEntry(3, 0).containsEntry(0, 6);
        assertThat(plan.replicasAfter().values()).allSatisfy(count -> assertThat(count).isBetween(4, 5));
        assertThat(plan.moves()).noneMatch(move -> move.partition() == 0);
        assertThat(plan.moves()).allSatisfy(move -> assertThat(move.to()).contains(3));
    }

    @Test
    void aBalancedClusterNeedsNoMove() {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int id = 0; id < 3; id++) {
            brokers.put(id, new BrokerRegistration(id, "h", 9092 + id, -1, false));
        }
        List<PartitionState> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<Integer> replicas = List.of(p, (p + 1) % 3);
            partitions.add(new PartitionState(p, 0, replicas, replicas));
        }
        assertThat(BalancePlanner.plan(image(brokers, Map.of("t", partitions)), Set.of(), 10, 1).isEmpty()).isTrue();
    }

    private static MetadataImage randomImage(Random random) {
        int brokerCount = 2 + random.nextInt(5);
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int id = 0; id < brokerCount; id++) {
            String rack = random.nextBoolean() ? "rack-" + random.nextInt(3) : null;
            brokers.put(id, new BrokerRegistration(id, "h", 9092 + id, -1, random.nextInt(6) == 0, List.of(), rack));
        }
        Map<String, List<PartitionState>> topics = new HashMap<>();
        for (int t = random.nextInt(4); t >= 0; t--) {
            List<PartitionState> partitions = new ArrayList<>();
            for (int p = 1 + random.nextInt(8); p > 0; p--) {
                // Skewed on purpose: the first brokers get most replicas.
                List<Integer> ids = new ArrayList<>(brokers.keySet());
                Collections.sort(ids);
                int rf = 1 + random.nextInt(Math.min(3, brokerCount));
                List<Integer> replicas = new ArrayList<>();
                for (int id : ids) {
                    if (replicas.size() < rf && (random.nextInt(3) > 0 || ids.size() - id <= rf - replicas.size())) {
                        replicas.add(id);
                    }
                }
                Collections.shuffle(replicas, random);
                List<Integer> isr = random.nextInt(5) == 0 ? replicas.subList(0, 1) : replicas;
                partitions.add(new PartitionState(replicas.get(0), 0, replicas, isr));
            }
            topics.put("topic-" + t, partitions);
        }
        return image(brokers, topics);
    }

    private static MetadataImage image(Map<Integer, BrokerRegistration> brokers, Map<String, List<PartitionState>> partitions) {
        Map<String, TopicState> topics = new HashMap<>();
        partitions.forEach((name, states) -> topics.put(name,
                new TopicState(new TopicInfo(name, Uuid.randomUuid(), states.size(), Map.of()), states)));
        return new MetadataImage(brokers, topics, 0, 0, SecurityImage.EMPTY, io.tributary.broker.metadata.DynamicBrokerConfigs.EMPTY);
    }

    private static long racks(MetadataImage image, List<Integer> replicas) {
        return replicas.stream().map(r -> {
            String rack = image.brokers().get(r).rack();
            return rack == null ? "none-" + r : rack;
        }).distinct().count();
    }
}
