package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The assignor of KIP-932 share groups ({@code simple}, as Kafka's {@code SimpleAssignor}): every partition
 * of a subscribed topic goes to at least one member subscribing to it, and every member subscribing to a
 * topic that has partitions gets at least one. Unlike a consumer group's assignment, a partition may go to
 * several members: its records are shared out among them by the share-partition leader. Where members
 * outnumber partitions, the partitions are shared as evenly as they can be; where partitions outnumber
 * members, they are spread evenly over the members.
 *
 * <p>Balance comes first, then stickiness: a member keeps what the previous assignment gave it as far as the
 * balance allows, so that a member joining or leaving moves only the partitions it must. A share group revokes
 * nothing before it reassigns, but a partition that stays with a member keeps that member's fetch session and
 * the records it has acquired there.
 *
 * <p>A pure function: the same subscriptions, topics and previous assignment give the same assignment, so that
 * it may run under the group's lock and a coordinator that loads the group computes what its predecessor did.
 */
public final class SimpleShareAssignor {

    public static final String NAME = "simple";

    /** A subscribed topic that exists: its id and partition count. */
    public record Topic(Uuid id, int partitions) {
    }

    private record Partition(String topic, Uuid topicId, int index) {
    }

    private final Map<String, Set<String>> subscriptions;
    private final List<String> members;
    /** How many members subscribe to a topic that has partitions: those that are to get some. */
    private final int eligible;
    private final List<Partition> partitions = new ArrayList<>();
    private final Map<String, Map<Uuid, Set<Integer>>> assignment = new HashMap<>();
    private final Map<String, Integer> load = new HashMap<>();
    private final Map<Partition, Integer> sharers = new HashMap<>();

    private SimpleShareAssignor(Map<String, Set<String>> subscriptions, Map<String, Topic> topics) {
        this.subscriptions = subscriptions;
        this.members = new ArrayList<>(new TreeSet<>(subscriptions.keySet()));
        members.forEach(member -> {
            load.put(member, 0);
            assignment.put(member, new TreeMap<>());
        });
        new TreeMap<>(topics).forEach((name, topic) -> {
            for (int index = 0; index < topic.partitions(); index++) {
                partitions.add(new Partition(name, topic.id(), index));
            }
        });
        this.eligible = (int) members.stream().filter(member -> partitions.stream().anyMatch(p -> subscribes(member, p))).count();
    }

    /** An assignment from scratch. */
    public static Map<String, Map<Uuid, Set<Integer>>> assign(Map<String, Set<String>> subscriptions,
            Map<String, Topic> topics) {
        return assign(subscriptions, topics, Map.of());
    }

    /**
     * @param subscriptions each member's subscribed topic names, by member id
     * @param topics        the subscribed topics that exist, by name
     * @param previous      the assignment this one follows, by member id: topic id to partition indexes (members
     *                      gone since and partitions no longer subscribed or existing are ignored)
     * @return every member's partitions, topic id to partition indexes (an empty map for a member that gets none)
     */
    public static Map<String, Map<Uuid, Set<Integer>>> assign(Map<String, Set<String>> subscriptions,
            Map<String, Topic> topics, Map<String, Map<Uuid, Set<Integer>>> previous) {
        SimpleShareAssignor assignor = new SimpleShareAssignor(subscriptions, topics);
        assignor.giveEveryPartitionAnOwner(previous);
        assignor.shareWithMembersLeftOut(previous);
        return assignor.assignment;
    }

    /**
     * Each partition to one member. With partitions as many as members or more, every member is to own
     * {@code P / M} or one more; with fewer, {@code P} members own one each. Members first keep what they had
     * within those counts, then the partitions left go to the subscriber owning the fewest.
     */
    private void giveEveryPartitionAnOwner(Map<String, Map<Uuid, Set<Integer>>> previous) {
        if (eligible == 0) {
            return;
        }
        int base = partitions.size() / eligible;
        int ownersAboveBase = partitions.size() % eligible;
        Set<Partition> owned = new HashSet<>();
        for (String member : members) {
            for (Partition partition : previously(member, previous)) {
                int owns = load.get(member);
                if (owned.contains(partition) || owns > base || (owns == base && ownersAboveBase == 0)) {
                    continue;
                }
                give(partition, member);
                owned.add(partition);
                if (owns == base) {
                    ownersAboveBase--;
                }
            }
        }
        for (Partition partition : partitions) {
            if (owned.contains(partition)) {
                continue;
            }
            members.stream().filter(member -> subscribes(member, partition))
                    .min(Comparator.comparingInt(load::get))
                    .ifPresent(member -> give(partition, member));
        }
    }

    /**
     * Every member left without a partition shares one: the one it had, while that partition is not shared more
     * than evenly, otherwise the one with the fewest members yet.
     */
    private void shareWithMembersLeftOut(Map<String, Map<Uuid, Set<Integer>>> previous) {
        if (partitions.isEmpty()) {
            return;
        }
        // As evenly as can be: every partition shared by `most` members or one fewer.
        int most = (eligible + partitions.size() - 1) / partitions.size();
        int sharedByMost = eligible % partitions.size() == 0 ? partitions.size() : eligible % partitions.size();
        for (String member : members.stream().filter(member -> load.get(member) == 0).toList()) {
            Partition kept = null;
            for (Partition partition : previously(member, previous)) {
                int shared = sharers.getOrDefault(partition, 0);
                if (shared < most - 1 || (shared == most - 1 && sharedByMost > 0)) {
                    kept = partition;
                    break;
                }
            }
            Partition chosen = kept != null ? kept : partitions.stream().filter(partition -> subscribes(member, partition))
                    .min(Comparator.comparingInt(partition -> sharers.getOrDefault(partition, 0))).orElse(null);
            if (chosen != null) {
                if (sharers.getOrDefault(chosen, 0) == most - 1) {
                    sharedByMost--;
                }
                give(chosen, member);
            }
        }
    }

    /** The partitions the previous assignment gave a member that it may still have, in partition order. */
    private List<Partition> previously(String member, Map<String, Map<Uuid, Set<Integer>>> previous) {
        Map<Uuid, Set<Integer>> had = previous.getOrDefault(member, Map.of());
        if (had.isEmpty()) {
            return List.of();
        }
        return partitions.stream().filter(partition -> subscribes(member, partition)
                && had.getOrDefault(partition.topicId(), Set.of()).contains(partition.index())).toList();
    }

    private boolean subscribes(String member, Partition partition) {
        return subscriptions.get(member).contains(partition.topic());
    }

    private void give(Partition partition, String member) {
        assignment.get(member).computeIfAbsent(partition.topicId(), id -> new TreeSet<>()).add(partition.index());
        load.merge(member, 1, Integer::sum);
        sharers.merge(partition, 1, Integer::sum);
    }
}
