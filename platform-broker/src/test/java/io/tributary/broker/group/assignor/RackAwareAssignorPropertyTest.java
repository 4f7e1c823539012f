package io.tributary.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import io.tributary.broker.group.assignor.ConsumerGroupAssignor.AssignmentMember;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.TopicPartition;

/**
 * Rack-aware assignment (KIP-881) for any members, racks, subscriptions and replica placements: racks never
 * cost balance (range gives each member the same counts as without racks; uniform leaves loads within one
 * of each other for one subscription, and no balancing move for any), every partition still goes to exactly
 * one subscriber, uniform keeps its own assignment when nothing changed, and where every member can be in a
 * rack of each of its partitions, each is.
 */
class RackAwareAssignorPropertyTest {

    private static final List<String> RACKS = List.of("r0", "r1", "r2");

    record Scenario(Map<String, Integer> topics, List<AssignmentMember> members, Map<TopicPartition, Set<String>> racks) {

        PartitionRacks partitionRacks() {
            return tp -> racks.getOrDefault(tp, Set.of());
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Map<String, Integer>> topics = Arbitraries.maps(Arbitraries.of("a", "b", "c"),
                Arbitraries.integers().between(1, 16)).ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(topics, Arbitraries.integers().between(1, 7), Arbitraries.longs(), Arbitraries.of(true, false))
                .as((counts, memberCount, seed, homogeneous) -> {
                    Random random = new Random(seed);
                    List<AssignmentMember> members = new ArrayList<>();
                    for (int i = 0; i < memberCount; i++) {
                        Set<String> subscribed = new HashSet<>();
                        for (String name : counts.keySet()) {
                            if (homogeneous || random.nextBoolean()) {
                                subscribed.add(name);
                            }
                        }
                        String rack = random.nextInt(4) == 0 ? null : RACKS.get(random.nextInt(RACKS.size()));
                        members.add(new AssignmentMember("member-" + i, null, rack, subscribed));
                    }
                    Map<TopicPartition, Set<String>> racks = new HashMap<>();
                    counts.forEach((topic, count) -> {
                        for (int p = 0; p < count; p++) {
                            Set<String> replicas = new HashSet<>();
                            int replicaCount = random.nextInt(3); // 0: replicas in no rack
                            for (int r = 0; r < replicaCount; r++) {
                                replicas.add(RACKS.get(random.nextInt(RACKS.size())));
                            }
                            racks.put(new TopicPartition(topic, p), replicas);
                        }
                    });
                    return new Scenario(counts, members, racks);
                });
    }

    @Provide
    Arbitrary<ConsumerGroupAssignor> assignors() {
        return Arbitraries.of(new UniformAssignor(), new RangeAssignor());
    }

    @Property(tries = 300)
    void everySubscribedPartitionGoesToExactlyOneSubscriber(@ForAll("scenarios") Scenario scenario,
            @ForAll("assignors") ConsumerGroupAssignor assignor) {
        Map<String, Set<TopicPartition>> assignment = assignor.assign(scenario.members(), scenario.topics(), Map.of(),
                scenario.partitionRacks());

        Map<TopicPartition, String> owners = new HashMap<>();
        for (AssignmentMember member : scenario.members()) {
            for (TopicPartition tp : assignment.get(member.memberId())) {
                assertThat(member.subscribedTopics()).contains(tp.topic());
                assertThat(owners.put(tp, member.memberId())).as("%s given twice", tp).isNull();
            }
        }
        scenario.topics().forEach((topic, count) -> {
            boolean subscribed = scenario.members().stream().anyMatch(m -> m.subscribedTopics().contains(topic));
            for (int p = 0; p < count; p++) {
                assertThat(owners.containsKey(new TopicPartition(topic, p))).isEqualTo(subscribed);
            }
        });
    }

    @Property(tries = 300)
    void rangeGivesEachMemberAsManyOfEachTopicAsWithoutRacks(@ForAll("scenarios") Scenario scenario) {
        RangeAssignor range = new RangeAssignor();
        Map<String, Set<TopicPartition>> withRacks = range.assign(scenario.members(), scenario.topics(), Map.of(),
                scenario.partitionRacks());
        Map<String, Set<TopicPartition>> without = range.assign(scenario.members(), scenario.topics(), Map.of());

        for (AssignmentMember member : scenario.members()) {
            assertThat(countsByTopic(withRacks.get(member.memberId()))).isEqualTo(countsByTopic(without.get(member.memberId())));
        }
    }

    @Property(tries = 300)
    void uniformLeavesNoBalancingMoveAndKeepsItsOwnAssignment(@ForAll("scenarios") Scenario scenario) {
        UniformAssignor uniform = new UniformAssignor();
        Map<String, Set<TopicPartition>> assignment = uniform.assign(scenario.members(), scenario.topics(), Map.of(),
                scenario.partitionRacks());

        for (AssignmentMember donor : scenario.members()) {
            int donorLoad = assignment.get(donor.memberId()).size();
            for (TopicPartition tp : assignment.get(donor.memberId())) {
                for (AssignmentMember receiver : scenario.members()) {
                    if (receiver != donor && receiver.subscribedTopics().contains(tp.topic())) {
                        assertThat(assignment.get(receiver.memberId()).size() + 1)
                                .as("%s could move from %s to %s", tp, donor.memberId(), receiver.memberId())
                                .isGreaterThanOrEqualTo(donorLoad);
                    }
                }
            }
        }
        boolean homogeneous = scenario.members().stream().allMatch(m -> m.subscribedTopics().equals(scenario.topics().keySet()));
        if (homogeneous) {
            int min = assignment.values().stream().mapToInt(Set::size).min().orElseThrow();
            int max = assignment.values().stream().mapToInt(Set::size).max().orElseThrow();
            assertThat(max - min).isLessThanOrEqualTo(1);
        }
        assertThat(uniform.assign(scenario.members(), scenario.topics(), assignment, scenario.partitionRacks()))
                .isEqualTo(assignment);
    }

    @Property(tries = 200)
    void racksThatMakeNoDifferenceChangeNothing(@ForAll("scenarios") Scenario scenario,
            @ForAll("assignors") ConsumerGroupAssignor assignor) {
        // Every member is in a rack and every partition has a replica in every rack: no member is closer to one
        // partition than another.
        List<AssignmentMember> racked = scenario.members().stream().map(m -> new AssignmentMember(m.memberId(), null,
                m.rackId() == null ? "r0" : m.rackId(), m.subscribedTopics())).toList();
        PartitionRacks everywhere = tp -> Set.copyOf(RACKS);
        assertThat(assignor.assign(racked, scenario.topics(), Map.of(), everywhere))
                .isEqualTo(assignor.assign(racked, scenario.topics(), Map.of()));
    }

    @Example
    void whereEveryPartitionCanBeInItsMembersRackEachIs() {
        // Two members in each of three racks; partition p's only replica is in rack p % 3.
        List<AssignmentMember> members = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            members.add(new AssignmentMember("member-" + i, null, RACKS.get(i % 3), Set.of("orders")));
        }
        PartitionRacks racks = tp -> Set.of(RACKS.get(tp.partition() % 3));
        Map<String, Integer> topics = Map.of("orders", 12);

        for (ConsumerGroupAssignor assignor : List.of(new UniformAssignor(), new RangeAssignor())) {
            Map<String, Set<TopicPartition>> assignment = assignor.assign(members, topics, Map.of(), racks);
            for (AssignmentMember member : members) {
                assertThat(assignment.get(member.memberId())).as(assignor.name()).hasSize(2)
                        .allMatch(tp -> racks.racks(tp).contains(member.rackId()));
            }
        }
        // Uniform also moves a rack-blind assignment into racks, keeping its balance.
        UniformAssignor uniform = new UniformAssignor();
        Map<String, Set<TopicPartition>> blind = uniform.assign(members, topics, Map.of());
        Map<String, Set<TopicPartition>> moved = uniform.assign(members, topics, blind, racks);
        for (AssignmentMember member : members) {
            assertThat(moved.get(member.memberId())).hasSize(2).allMatch(tp -> racks.racks(tp).contains(member.rackId()));
        }
    }

    @Example
    void balanceComesBeforeRacks() {
        // Every replica is in r0, but the member in r1 still gets its share.
        List<AssignmentMember> members = List.of(new AssignmentMember("near", null, "r0", Set.of("orders")),
                new AssignmentMember("far", null, "r1", Set.of("orders")));
        PartitionRacks racks = tp -> Set.of("r0");
        for (ConsumerGroupAssignor assignor : List.of(new UniformAssignor(), new RangeAssignor())) {
            Map<String, Set<TopicPartition>> assignment = assignor.assign(members, Map.of("orders", 6), Map.of(), racks);
            assertThat(assignment.get("near")).as(assignor.name()).hasSize(3);
            assertThat(assignment.get("far")).as(assignor.name()).hasSize(3);
        }
    }

    private static Map<String, Integer> countsByTopic(Set<TopicPartition> partitions) {
        Map<String, Integer> counts = new HashMap<>();
        partitions.forEach(tp -> counts.merge(tp.topic(), 1, Integer::sum));
        return counts;
    }
}
