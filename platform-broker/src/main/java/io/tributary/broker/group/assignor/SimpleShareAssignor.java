package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>A pure function: the same subscriptions and topics give the same assignment, so that it may run under the
 * group's lock and a coordinator that loads the group computes what its predecessor did.
 */
public final class SimpleShareAssignor {

    public static final String NAME = "simple";

    /** A subscribed topic that exists: its id and partition count. */
    public record Topic(Uuid id, int partitions) {
    }

    private record Partition(String topic, Uuid topicId, int index) {
    }

    private SimpleShareAssignor() {
    }

    /**
     * @param subscriptions each member's subscribed topic names, by member id
     * @param topics        the subscribed topics that exist, by name
     * @return every member's partitions, topic id to partition indexes (an empty map for a member that gets none)
     */
    public static Map<String, Map<Uuid, Set<Integer>>> assign(Map<String, Set<String>> subscriptions,
            Map<String, Topic> topics) {
        List<String> members = new ArrayList<>(new TreeSet<>(subscriptions.keySet()));
        Map<String, Integer> load = new HashMap<>();
        Map<String, Map<Uuid, Set<Integer>>> assignment = new HashMap<>();
        members.forEach(member -> {
            load.put(member, 0);
            assignment.put(member, new TreeMap<>());
        });
        List<Partition> partitions = new ArrayList<>();
        new TreeMap<>(topics).forEach((name, topic) -> {
            for (int index = 0; index < topic.partitions(); index++) {
                partitions.add(new Partition(name, topic.id(), index));
            }
        });
        Map<Partition, Integer> sharers = new HashMap<>();
        // Every partition to the subscriber with the fewest partitions yet: round robin when all subscribe alike.
        for (Partition partition : partitions) {
            members.stream().filter(member -> subscriptions.get(member).contains(partition.topic()))
                    .min(Comparator.comparingInt(load::get))
                    .ifPresent(member -> give(partition, member, assignment, load, sharers));
        }
        // Every member left without a partition shares the one with the fewest members yet.
        for (String member : members) {
            if (load.get(member) > 0) {
                continue;
            }
            partitions.stream().filter(partition -> subscriptions.get(member).contains(partition.topic()))
                    .min(Comparator.comparingInt(partition -> sharers.getOrDefault(partition, 0)))
                    .ifPresent(partition -> give(partition, member, assignment, load, sharers));
        }
        return assignment;
    }

    private static void give(Partition partition, String member, Map<String, Map<Uuid, Set<Integer>>> assignment,
            Map<String, Integer> load, Map<Partition, Integer> sharers) {
        assignment.get(member).computeIfAbsent(partition.topicId(), id -> new TreeSet<>()).add(partition.index());
        load.merge(member, 1, Integer::sum);
        sharers.merge(partition, 1, Integer::sum);
    }
}
