package io.tributary.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tributary.broker.group.assignor.ConsumerGroupAssignor.AssignmentMember;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.TopicPartition;

/**
 * What every assignment of both server-side assignors holds, for any members, subscriptions and
 * partition counts: each partition of a subscribed topic goes to exactly one member subscribing to it;
 * with one subscription for all, loads differ by at most one; and the uniform assignor keeps every
 * partition where it was when nothing changed, and moves few when a member joins.
 */
class AssignorPropertyTest {

    record Scenario(Map<String, Integer> topics, List<AssignmentMember> members) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Map<String, Integer>> topics = Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"),
                Arbitraries.integers().between(1, 24)).ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(topics, Arbitraries.integers().between(1, 9), Arbitraries.longs())
                .as((counts, memberCount, seed) -> {
                    java.util.Random random = new java.util.Random(seed);
                    List<String> names = new ArrayList<>(counts.keySet());
                    names.add("missing"); // subscribed to, but does not exist
                    List<AssignmentMember> members = new ArrayList<>();
                    for (int i = 0; i < memberCount; i++) {
                        Set<String> subscribed = new HashSet<>();
                        for (String name : names) {
                            if (random.nextBoolean()) {
                                subscribed.add(name);
                            }
                        }
                        members.add(new AssignmentMember("member-" + i, null, null, subscribed));
                    }
                    return new Scenario(counts, members);
                });
    }

    @Property(tries = 300)
    void everySubscribedPartitionGoesToExactlyOneSubscriber(@ForAll("scenarios") Scenario scenario,
            @ForAll("assignors") ConsumerGroupAssignor assignor) {
        Map<String, Set<TopicPartition>> assignment = assignor.assign(scenario.members(), existing(scenario), Map.of());

        assertThat(assignment).containsOnlyKeys(scenario.members().stream().map(AssignmentMember::memberId).toList());
        Map<TopicPartition, String> owners = new HashMap<>();
        for (AssignmentMember member : scenario.members()) {
            for (TopicPartition tp : assignment.get(member.memberId())) {
                assertThat(member.subscribedTopics()).contains(tp.topic());
                assertThat(owners.put(tp, member.memberId())).as("%s given twice", tp).isNull();
            }
        }
        for (Map.Entry<String, Integer> topic : existing(scenario).entrySet()) {
            boolean subscribed = scenario.members().stream().anyMatch(m -> m.subscribedTopics().contains(topic.getKey()));
            for (int p = 0; p < topic.getValue(); p++) {
                assertThat(owners.containsKey(new TopicPartition(topic.getKey(), p))).isEqualTo(subscribed);
            }
        }
    }

    @Property(tries = 200)
    void withOneSubscriptionForAllLoadsDifferByAtMostOne(@ForAll("scenarios") Scenario scenario) {
        Set<String> all = scenario.topics().keySet();
        List<AssignmentMember> members = scenario.members().stream()
                .map(m -> new AssignmentMember(m.memberId(), null, null, all)).toList();

        Map<String, Set<TopicPartition>> assignment = new UniformAssignor().assign(members, scenario.topics(), Map.of());

        int min = assignment.values().stream().mapToInt(Set::size).min().orElseThrow();
        int max = assignment.values().stream().mapToInt(Set::size).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Property(tries = 200)
    void theUniformAssignorKeepsEverythingWhenNothingChangedAndMovesFewWhenAMemberJoins(
            @ForAll("scenarios") Scenario scenario) {
        UniformAssignor uniform = new UniformAssignor();
        Map<String, Set<TopicPartition>> first = uniform.assign(scenario.members(), existing(scenario), Map.of());

        assertThat(uniform.assign(scenario.members(), existing(scenario), first)).isEqualTo(first);

        Set<String> all = scenario.topics().keySet();
        List<AssignmentMember> homogeneous = scenario.members().stream()
                .map(m -> new AssignmentMember(m.memberId(), null, null, all)).toList();
        Map<String, Set<TopicPartition>> before = uniform.assign(homogeneous, scenario.topics(), Map.of());
        List<AssignmentMember> joined = new ArrayList<>(homogeneous);
        joined.add(new AssignmentMember("newcomer", null, null, all));
        Map<String, Set<TopicPartition>> after = uniform.assign(joined, scenario.topics(), before);

        int partitions = scenario.topics().values().stream().mapToInt(Integer::intValue).sum();
        int moved = after.get("newcomer").size();
        assertThat(moved).isLessThanOrEqualTo((partitions + joined.size() - 1) / joined.size());
        for (AssignmentMember member : homogeneous) {
            assertThat(after.get(member.memberId())).as("only the newcomer gains").isSubsetOf(before.get(member.memberId()));
        }
    }

    @Provide
    Arbitrary<ConsumerGroupAssignor> assignors() {
        return Arbitraries.of(new UniformAssignor(), new RangeAssignor());
    }

    private static Map<String, Integer> existing(Scenario scenario) {
        return scenario.topics();
    }
}
