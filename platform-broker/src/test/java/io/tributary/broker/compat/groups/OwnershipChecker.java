package io.tributary.broker.compat.groups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the rebalance callbacks of every member of a group and notes each time a partition is
 * assigned to one member while another still owns it. A member's callbacks run before it tells the
 * coordinator it revoked, so with a protocol that revokes before it reassigns there are none.
 */
public final class OwnershipChecker {

    private final Map<TopicPartition, String> owners = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    public ConsumerRebalanceListener listenerFor(String member) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                for (TopicPartition tp : partitions) {
                    String previous = owners.putIfAbsent(tp, member);
                    if (previous != null && !previous.equals(member)) {
                        violations.add(tp + " assigned to " + member + " while " + previous + " owned it");
                    }
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> owners.remove(tp, member));
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> owners.remove(tp, member));
            }
        };
    }

    public List<String> violations() {
        return new ArrayList<>(violations);
    }
}
