package io.tributary.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The share groups' assignor: every partition covered, every member given some, shared evenly. */
class SimpleShareAssignorTest {

    private static final Uuid A = Uuid.randomUuid();
    private static final Uuid B = Uuid.randomUuid();

    private static int count(Map<Uuid, Set<Integer>> assignment) {
        return assignment.values().stream().mapToInt(Set::size).sum();
    }

    @Test
    void partitionsOutnumberingMembersAreSpreadEvenlyEachToOneMember() {
        Map<String, Set<String>> members = Map.of("m1", Set.of("a", "b"), "m2", Set.of("a", "b"), "m3", Set.of("a", "b"));
        var assignment = SimpleShareAssignor.assign(members, Map.of("a", new SimpleShareAssignor.Topic(A, 5),
                "b", new SimpleShareAssignor.Topic(B, 2)));
        assertThat(assignment.values()).allSatisfy(partitions -> assertThat(count(partitions)).isBetween(2, 3));
        assertThat(assignment.values().stream().mapToInt(SimpleShareAssignorTest::count).sum()).as("each to one").isEqualTo(7);
        Map<Uuid, Set<Integer>> union = new HashMap<>();
        assignment.values().forEach(p -> p.forEach((id, s) -> union.computeIfAbsent(id, k -> new java.util.HashSet<>()).addAll(s)));
        assertThat(union).isEqualTo(Map.of(A, Set.of(0, 1, 2, 3, 4), B, Set.of(0, 1)));
    }

    @Test
    void membersOutnumberingPartitionsShareThemEvenly() {
        Map<String, Set<String>> members = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            members.put("m" + i, Set.of("a"));
        }
        var assignment = SimpleShareAssignor.assign(members, Map.of("a", new SimpleShareAssignor.Topic(A, 2)));
        assertThat(assignment.values()).allSatisfy(partitions -> assertThat(count(partitions)).isEqualTo(1));
        long onZero = assignment.values().stream().filter(p -> p.get(A).contains(0)).count();
        assertThat(onZero).isBetween(2L, 3L);
    }

    @Test
    void membersOnlyGetTopicsTheySubscribeToAndMembersOfMissingTopicsGetNothing() {
        Map<String, Set<String>> members = Map.of("m1", Set.of("a"), "m2", Set.of("b"), "m3", Set.of("gone"));
        var assignment = SimpleShareAssignor.assign(members, Map.of("a", new SimpleShareAssignor.Topic(A, 2),
                "b", new SimpleShareAssignor.Topic(B, 1)));
        assertThat(assignment.get("m1")).isEqualTo(Map.of(A, Set.of(0, 1)));
        assertThat(assignment.get("m2")).isEqualTo(Map.of(B, Set.of(0)));
        assertThat(assignment.get("m3")).isEmpty();
    }

    @Test
    void theSameInputGivesTheSameAssignment() {
        Map<String, Set<String>> members = Map.of("x", Set.of("a"), "y", Set.of("a"), "z", Set.of("a"));
        Map<String, SimpleShareAssignor.Topic> topics = Map.of("a", new SimpleShareAssignor.Topic(A, 7));
        assertThat(SimpleShareAssignor.assign(members, topics)).isEqualTo(SimpleShareAssignor.assign(new HashMap<>(members), topics));
    }
}
