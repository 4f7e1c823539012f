package io.tributary.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/** The share groups' assignor: every partition covered, every member given some, shared evenly, moved as little as that allows. */
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

    @Test
    void aMemberJoiningTakesOnlyWhatBalanceNeedsFromTheOthers() {
        Map<String, SimpleShareAssignor.Topic> topics = Map.of("a", new SimpleShareAssignor.Topic(A, 6));
        Map<String, Set<String>> two = Map.of("m1", Set.of("a"), "m2", Set.of("a"));
        var before = SimpleShareAssignor.assign(two, topics);
        Map<String, Set<String>> three = new HashMap<>(two);
        three.put("m0", Set.of("a")); // sorts first, as a new member may

        var after = SimpleShareAssignor.assign(three, topics, before);

        assertThat(after.values()).allSatisfy(partitions -> assertThat(count(partitions)).isEqualTo(2));
        for (String member : two.keySet()) {
            assertThat(before.get(member).get(A)).containsAll(after.get(member).get(A));
        }
    }

    @Test
    void aMemberLeavingLeavesTheOthersWhatTheyHad() {
        Map<String, SimpleShareAssignor.Topic> topics = Map.of("a", new SimpleShareAssignor.Topic(A, 7));
        Map<String, Set<String>> three = Map.of("m1", Set.of("a"), "m2", Set.of("a"), "m3", Set.of("a"));
        var before = SimpleShareAssignor.assign(three, topics);

        var after = SimpleShareAssignor.assign(Map.of("m1", Set.of("a"), "m3", Set.of("a")), topics, before);

        assertThat(after.get("m1").get(A)).containsAll(before.get("m1").get(A));
        assertThat(after.get("m3").get(A)).containsAll(before.get("m3").get(A));
        assertThat(count(after.get("m1")) + count(after.get("m3"))).isEqualTo(7);
        assertThat(Math.abs(count(after.get("m1")) - count(after.get("m3")))).isLessThanOrEqualTo(1);
    }

    @Test
    void sharersOfAPartitionStayOnItWhileItIsNotOvershared() {
        Map<String, SimpleShareAssignor.Topic> topics = Map.of("a", new SimpleShareAssignor.Topic(A, 2));
        Map<String, Set<String>> five = new HashMap<>();
        for (int i = 1; i <= 5; i++) {
            five.put("m" + i, Set.of("a"));
        }
        var before = SimpleShareAssignor.assign(five, topics);
        Map<String, Set<String>> six = new HashMap<>(five);
        six.put("m6", Set.of("a"));

        var after = SimpleShareAssignor.assign(six, topics, before);

        five.keySet().forEach(member -> assertThat(after.get(member)).isEqualTo(before.get(member)));
        assertThat(after.values().stream().filter(p -> p.get(A).contains(0)).count()).isEqualTo(3);
    }

    @Test
    void nothingMovesWhenNothingChanged() {
        Map<String, Set<String>> members = Map.of("x", Set.of("a", "b"), "y", Set.of("a"), "z", Set.of("b"));
        Map<String, SimpleShareAssignor.Topic> topics = Map.of("a", new SimpleShareAssignor.Topic(A, 5),
                "b", new SimpleShareAssignor.Topic(B, 3));
        var first = SimpleShareAssignor.assign(members, topics);
        assertThat(SimpleShareAssignor.assign(members, topics, first)).isEqualTo(first);
    }

    @Test
    void partitionsOfATopicNoLongerSubscribedOrNoLongerThereAreNotKept() {
        Map<String, Set<String>> members = Map.of("m1", Set.of("a"));
        var before = Map.of("m1", Map.of(A, Set.of(0, 1, 2, 3), B, Set.of(0)));

        var after = SimpleShareAssignor.assign(members, Map.of("a", new SimpleShareAssignor.Topic(A, 2)), before);

        assertThat(after.get("m1")).isEqualTo(Map.of(A, Set.of(0, 1)));
    }
}
