package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@code range} server-side assignor: for each topic, the members subscribing to it, in order
 * of member id, take consecutive ranges of its partitions, the first ones one more when the count does
 * not divide evenly. Members subscribing to the same co-partitioned topics therefore get the same
 * partition numbers of each, which joins by key need.
 */
public final class RangeAssignor implements ConsumerGroupAssignor {

    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<TopicPartition>> assign(List<AssignmentMember> members, Map<String, Integer> partitionCounts,
            Map<String, Set<TopicPartition>> currentAssignment) {
        Map<String, Set<TopicPartition>> assignment = new LinkedHashMap<>();
        members.forEach(member -> assignment.put(member.memberId(), new HashSet<>()));
        for (Map.Entry<String, Integer> topic : new java.util.TreeMap<>(partitionCounts).entrySet()) {
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
            int partitions = topic.getValue();
            int quota = partitions / subscribers.size();
            int withExtra = partitions % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int count = quota + (i < withExtra ? 1 : 0);
                Set<TopicPartition> owned = assignment.get(subscribers.get(i).memberId());
                for (int p = next; p < next + count; p++) {
                    owned.add(new TopicPartition(topic.getKey(), p));
                }
                next += count;
            }
        }
        Map<String, Set<TopicPartition>> result = new LinkedHashMap<>();
        assignment.forEach((id, partitions) -> result.put(id, Set.copyOf(partitions)));
        return result;
    }

    /** Static members keep their ranges across restarts (their member ids change, their instance ids do not). */
    private static String orderKey(AssignmentMember member) {
        return member.instanceId() != null ? "0" + member.instanceId() : "1" + member.memberId();
    }
}
