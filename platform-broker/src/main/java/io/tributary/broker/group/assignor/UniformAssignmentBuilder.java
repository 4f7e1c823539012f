package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.tributary.broker.group.assignor.ConsumerGroupAssignor.AssignmentMember;
import org.apache.kafka.common.TopicPartition;

/**
 * One run of the {@link UniformAssignor}. Each step changes the assignment by moves that lower, in this
 * order, the sum of the squared loads (balance) and the number of partitions outside a rack of theirs,
 * so the run ends, and ends where no such move is left: run again on its own result, it moves nothing.
 *
 * <p>Not thread-safe; one instance per assignment.
 */
final class UniformAssignmentBuilder {

    /** A guard only: every step strictly lowers a bounded measure. */
    private static final int MAX_ROUNDS = 1_000_000;

    private final List<AssignmentMember> members;
    private final Map<String, Integer> partitionCounts;
    private final Map<String, TreeSet<TopicPartition>> assignment = new LinkedHashMap<>();
    private final Map<String, AssignmentMember> byId = new HashMap<>();
    /** The racks of each assigned partition's replicas, when racks matter at all; else null. */
    private final Map<TopicPartition, Set<String>> racks;

    UniformAssignmentBuilder(List<AssignmentMember> members, Map<String, Integer> partitionCounts, PartitionRacks racks) {
        this.members = members;
        this.partitionCounts = partitionCounts;
        for (AssignmentMember member : members) {
            assignment.put(member.memberId(), new TreeSet<>(PartitionOrder.INSTANCE));
            byId.put(member.memberId(), member);
        }
        this.racks = rackAware(members) ? partitionRacks(racks) : null;
    }

    Map<String, Set<TopicPartition>> build(Map<String, Set<TopicPartition>> currentAssignment) {
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
            leastLoaded(tp).ifPresent(id -> assignment.get(id).add(tp));
        }
        for (int round = 0; round < MAX_ROUNDS; round++) {
            balance();
            if (racks == null || !(moveIntoRacks() | swapIntoRacks())) {
                break;
            }
        }
        Map<String, Set<TopicPartition>> result = new LinkedHashMap<>();
        assignment.forEach((id, partitions) -> result.put(id, Set.copyOf(partitions)));
        return result;
    }

    /** Racks matter when some member is in a rack and some partition has replicas in one. */
    private static boolean rackAware(List<AssignmentMember> members) {
        return members.stream().anyMatch(member -> member.rackId() != null);
    }

    private Map<TopicPartition, Set<String>> partitionRacks(PartitionRacks source) {
        Map<TopicPartition, Set<String>> found = new HashMap<>();
        boolean any = false;
        for (TopicPartition tp : PartitionOrder.allPartitions(partitionCounts)) {
            Set<String> of = source.racks(tp);
            found.put(tp, of);
            any |= !of.isEmpty();
        }
        return any ? found : null;
    }

    private boolean inRack(AssignmentMember member, TopicPartition tp) {
        return racks != null && member.rackId() != null && racks.getOrDefault(tp, Set.of()).contains(member.rackId());
    }

    private int load(AssignmentMember member) {
        return assignment.get(member.memberId()).size();
    }

    /** The subscriber of the partition's topic with the fewest partitions, one in its rack among equals. */
    private Optional<String> leastLoaded(TopicPartition tp) {
        AssignmentMember best = null;
        for (AssignmentMember member : members) {
            if (!member.subscribedTopics().contains(tp.topic())) {
                continue;
            }
            if (best == null || load(member) < load(best) || (load(member) == load(best) && inRack(member, tp) && !inRack(best, tp))) {
                best = member;
            }
        }
        return Optional.ofNullable(best).map(AssignmentMember::memberId);
    }

    /**
     * Moves partitions from the most to less loaded members while a move narrows the gap, each time the
     * partition whose move loses no rack locality (gains some if it can), to a member in its rack if one
     * qualifies, else to the least loaded.
     */
    private void balance() {
        boolean moved = true;
        for (int round = 0; moved && round < MAX_ROUNDS; round++) {
            moved = false;
            List<AssignmentMember> byLoadDescending = new ArrayList<>(members);
            byLoadDescending.sort(Comparator.comparingInt(this::load).reversed().thenComparing(AssignmentMember::memberId));
            for (AssignmentMember donor : byLoadDescending) {
                TreeSet<TopicPartition> donated = assignment.get(donor.memberId());
                TopicPartition bestPartition = null;
                AssignmentMember bestReceiver = null;
                int bestGain = Integer.MIN_VALUE;
                for (TopicPartition tp : donated.descendingSet()) {
                    AssignmentMember receiver = receiver(tp, donor);
                    if (receiver == null) {
                        continue;
                    }
                    int gain = (inRack(receiver, tp) ? 1 : 0) - (inRack(donor, tp) ? 1 : 0);
                    if (gain > bestGain) {
                        bestPartition = tp;
                        bestReceiver = receiver;
                        bestGain = gain;
                    }
                    if (racks == null || bestGain == 1) {
                        break; // nothing better to find
                    }
                }
                if (bestPartition != null) {
                    donated.remove(bestPartition);
                    assignment.get(bestReceiver.memberId()).add(bestPartition);
                    moved = true;
                    break;
                }
            }
        }
    }

    /** Who may take the partition from the donor and narrow the gap: one in its rack first, then the least loaded. */
    private AssignmentMember receiver(TopicPartition tp, AssignmentMember donor) {
        int donorLoad = load(donor);
        AssignmentMember best = null;
        for (AssignmentMember member : members) {
            if (member == donor || !member.subscribedTopics().contains(tp.topic()) || load(member) + 1 >= donorLoad) {
                continue;
            }
            if (best == null || (inRack(member, tp) && !inRack(best, tp))
                    || (inRack(member, tp) == inRack(best, tp) && load(member) < load(best))) {
                best = member;
            }
        }
        return best;
    }

    /**
     * Moves a partition held outside its racks to a less loaded member in one of them: the gap between
     * them does not grow. True when it moved any.
     */
    private boolean moveIntoRacks() {
        boolean moved = false;
        for (AssignmentMember holder : members) {
            for (TopicPartition tp : new ArrayList<>(assignment.get(holder.memberId()))) {
                if (inRack(holder, tp)) {
                    continue;
                }
                AssignmentMember target = null;
                for (AssignmentMember member : members) {
                    if (member.subscribedTopics().contains(tp.topic()) && inRack(member, tp) && load(member) < load(holder)
                            && (target == null || load(member) < load(target))) {
                        target = member;
                    }
                }
                if (target != null) {
                    assignment.get(holder.memberId()).remove(tp);
                    assignment.get(target.memberId()).add(tp);
                    moved = true;
                }
            }
        }
        return moved;
    }

    /**
     * Swaps two members' partitions when that puts more of them in a rack of theirs: loads do not change.
     * True when it swapped any.
     */
    private boolean swapIntoRacks() {
        boolean swapped = false;
        for (AssignmentMember holder : members) {
            for (TopicPartition tp : new ArrayList<>(assignment.get(holder.memberId()))) {
                if (inRack(holder, tp) || !assignment.get(holder.memberId()).contains(tp)) {
                    continue;
                }
                swapped |= swap(holder, tp);
            }
        }
        return swapped;
    }

    private boolean swap(AssignmentMember holder, TopicPartition tp) {
        for (AssignmentMember other : members) {
            if (other == holder || !other.subscribedTopics().contains(tp.topic()) || !inRack(other, tp)) {
                continue;
            }
            for (TopicPartition back : assignment.get(other.memberId())) {
                // The other's partition may come over if the holder subscribes to it and it loses nothing by it.
                if (holder.subscribedTopics().contains(back.topic()) && (inRack(holder, back) || !inRack(other, back))) {
                    assignment.get(holder.memberId()).remove(tp);
                    assignment.get(other.memberId()).remove(back);
                    assignment.get(holder.memberId()).add(back);
                    assignment.get(other.memberId()).add(tp);
                    return true;
                }
            }
        }
        return false;
    }
}
