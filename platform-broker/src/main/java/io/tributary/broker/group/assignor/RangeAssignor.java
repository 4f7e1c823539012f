package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@code range} server-side assignor: for each topic, the members subscribing to it, in order
 * of member id, take consecutive ranges of its partitions, the first ones one more when the count does
 * not divide evenly. Members subscribing to the same co-partitioned topics therefore get the same
 * partition numbers of each, which joins by key need.
 *
 * <p>With racks (KIP-881), each member keeps its count of each topic's partitions, but a partition
 * number first goes to a member in a rack that holds a replica of it (of every co-partitioned topic
 * with the same subscribers, so that those still go together), then the rest in order. Without racks,
 * or when every member is in a rack of every partition, the ranges are the plain consecutive ones.
 */
public final class RangeAssignor implements ConsumerGroupAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    /** Topics assigned together: the same partition count and the same subscribers. */
    private record CoPartitioned(int partitions, List<String> subscriberIds) {
    }

    @Override
    public Map<String, Set<TopicPartition>> assign(List<AssignmentMember> members, Map<String, Integer> partitionCounts,
            Map<String, Set<TopicPartition>> currentAssignment, PartitionRacks racks) {
        Map<String, Set<TopicPartition>> assignment = new LinkedHashMap<>();
        members.forEach(member -> assignment.put(member.memberId(), new HashSet<>()));
        Map<CoPartitioned, List<String>> topicsBySet = new LinkedHashMap<>();
        Map<CoPartitioned, List<AssignmentMember>> subscribersBySet = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            List<AssignmentMember> subscribers = new ArrayList<>();
            for (AssignmentMember member : members) {
                if (member.subscribedTopics().contains(topic.getKey())) {
                    subscribers.add(member);
                }
            }
            if (subscribers.isEmpty()) {
                continue;
            }
            subscribers.sort(Comparator.comparing(RangeAssignor::orderKey));
            CoPartitioned set = new CoPartitioned(topic.getValue(), subscribers.stream().map(AssignmentMember::memberId).toList());
            topicsBySet.computeIfAbsent(set, s -> new ArrayList<>()).add(topic.getKey());
            subscribersBySet.put(set, subscribers);
        }
        topicsBySet.forEach((set, topics) -> {
            int[] owners = owners(subscribersBySet.get(set), topics, set.partitions(), racks);
            for (String topic : topics) {
                for (int p = 0; p < owners.length; p++) {
                    assignment.get(set.subscriberIds().get(owners[p])).add(new TopicPartition(topic, p));
                }
            }
        });
        Map<String, Set<TopicPartition>> result = new LinkedHashMap<>();
        assignment.forEach((id, partitions) -> result.put(id, Set.copyOf(partitions)));
        return result;
    }

    /** Which subscriber (by index) gets each partition number: the range quotas, filled in rack first. */
    private static int[] owners(List<AssignmentMember> subscribers, List<String> topics, int partitions, PartitionRacks racks) {
        int quota = partitions / subscribers.size();
        int withExtra = partitions % subscribers.size();
        int[] room = new int[subscribers.size()];
        for (int i = 0; i < room.length; i++) {
            room[i] = quota + (i < withExtra ? 1 : 0);
        }
        int[] owners = new int[partitions];
        java.util.Arrays.fill(owners, -1);
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; i < room.length; i++) {
                if (room[i] > 0 && inRackOfAll(subscribers.get(i).rackId(), topics, p, racks)) {
                    owners[p] = i;
                    room[i]--;
                    break;
                }
            }
        }
        for (int p = 0; p < partitions; p++) {
            for (int i = 0; owners[p] < 0 && i < room.length; i++) {
                if (room[i] > 0) {
                    owners[p] = i;
                    room[i]--;
                }
            }
        }
        return owners;
    }

    private static boolean inRackOfAll(String rack, List<String> topics, int partition, PartitionRacks racks) {
        if (rack == null) {
            return false;
        }
        for (String topic : topics) {
            if (!racks.inRack(rack, new TopicPartition(topic, partition))) {
                return false;
            }
        }
        return true;
    }

    /** Static members keep their ranges across restarts (their member ids change, their instance ids do not). */
    private static String orderKey(AssignmentMember member) {
        return member.instanceId() != null ? "0" + member.instanceId() : "1" + member.memberId();
    }
}
