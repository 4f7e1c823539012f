package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's default server-side assignor, {@code uniform}: spreads partitions as evenly as the
 * subscriptions allow and keeps each partition where it was whenever that stays balanced, so a
 * member joining or leaving moves as few partitions as it can.
 *
 * <p>It keeps the previous owner of every partition still subscribed to, gives each other partition
 * to the least loaded member subscribing to its topic, then moves partitions one at a time from a
 * member to a less loaded one that subscribes to the topic until no move makes two members' loads
 * differ less. Every step is in a fixed order, so the same input gives the same assignment.
 */
public final class UniformAssignor implements ConsumerGroupAssignor {

    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<TopicPartition>> assign(List<AssignmentMember> members, Map<String, Integer> partitionCounts,
            Map<String, Set<TopicPartition>> currentAssignment) {
        Map<String, TreeSet<TopicPartition>> assignment = new LinkedHashMap<>();
        Map<String, AssignmentMember> byId = new HashMap<>();
        for (AssignmentMember member : members) {
            assignment.put(member.memberId(), new TreeSet<>(PartitionOrder.INSTANCE));
            byId.put(member.memberId(), member);
        }
        List<TopicPartition> unassigned = new ArrayList<>();
        Map<TopicPartition, String> previousOwners = new HashMap<>();
        currentAssignment.forEach((memberId, partitions) -> partitions.forEach(tp -> previousOwners.put(tp, memberId)));
        for (TopicPartition tp : PartitionOrder.allPartitions(partitionCounts)) {
            String owner = previousOwners.get(tp);
            AssignmentMember member = owner == null ? null : byId.get(owner);
            if (member != null && member.subscribedTopics().contains(tp.topic())) {
                assignment.get(owner).add(tp);
            } else {
                unassigned.add(tp);
            }
        }
        for (TopicPartition tp : unassigned) {
            leastLoaded(members, assignment, tp.topic(), null).ifPresent(id -> assignment.get(id).add(tp));
        }
        balance(members, assignment);
        Map<String, Set<TopicPartition>> result = new LinkedHashMap<>();
        assignment.forEach((id, partitions) -> result.put(id, Set.copyOf(partitions)));
        return result;
    }

    /** Moves partitions from the most to the least loaded members while a move narrows the gap. */
    private static void balance(List<AssignmentMember> members, Map<String, TreeSet<TopicPartition>> assignment) {
        boolean moved = true;
        // Each move lowers the sum of squared loads, so this ends; the bound is a guard only.
        for (int round = 0; moved && round < 100_000; round++) {
            moved = false;
            List<AssignmentMember> byLoadDescending = new ArrayList<>(members);
            byLoadDescending.sort(Comparator.comparingInt((AssignmentMember m) -> assignment.get(m.memberId()).size())
                    .reversed().thenComparing(AssignmentMember::memberId));
            for (AssignmentMember donor : byLoadDescending) {
                TreeSet<TopicPartition> donated = assignment.get(donor.memberId());
                for (TopicPartition tp : donated.descendingSet()) {
                    var receiver = leastLoaded(members, assignment, tp.topic(), donor.memberId());
                    if (receiver.isPresent() && assignment.get(receiver.get()).size() + 1 < donated.size()) {
                        donated.remove(tp);
                        assignment.get(receiver.get()).add(tp);
                        moved = true;
                        break;
                    }
                }
                if (moved) {
                    break;
                }
            }
        }
    }

    private static java.util.Optional<String> leastLoaded(List<AssignmentMember> members,
            Map<String, TreeSet<TopicPartition>> assignment, String topic, String except) {
        String best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (AssignmentMember member : members) {
            if (member.memberId().equals(except) || !member.subscribedTopics().contains(topic)) {
                continue;
            }
            int load = assignment.get(member.memberId()).size();
            if (load < bestLoad) {
                best = member.memberId();
                bestLoad = load;
            }
        }
        return java.util.Optional.ofNullable(best);
    }
}
