package io.tributary.client.actuate;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * {@code /actuator/tributary}: the service's consumer groups, which partitions this instance holds,
 * and each group's lag per partition, measured now.
 */
@Endpoint(id = "tributary")
public class TributaryEndpoint {

    private final String bootstrapServers;
    private final KafkaListenerEndpointRegistry registry;
    private final ConsumerLagMonitor lagMonitor;

    public TributaryEndpoint(String bootstrapServers, KafkaListenerEndpointRegistry registry, ConsumerLagMonitor lagMonitor) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
        this.lagMonitor = lagMonitor;
    }

    @ReadOperation
    public Report report() {
        List<ConsumerLag> lags = lagMonitor.refresh();
        List<Group> groups = lagMonitor.groups().stream().map(group -> new Group(group,
                registry.getListenerContainers().stream()
                        .filter(c -> group.equals(c.getGroupId()))
                        .map(TributaryEndpoint::listener)
                        .toList(),
                lags.stream().filter(l -> l.group().equals(group)).map(PartitionLag::of).toList()))
                .toList();
        return new Report(bootstrapServers, groups);
    }

    private static Listener listener(MessageListenerContainer container) {
        return new Listener(container.getListenerId(), topics(container), container.isRunning(),
                assignedPartitions(container));
    }

    private static List<String> assignedPartitions(MessageListenerContainer container) {
        Collection<TopicPartition> assigned = container.getAssignedPartitions();
        return assigned == null ? List.of() : assigned.stream().map(TopicPartition::toString).sorted().toList();
    }

    private static List<String> topics(MessageListenerContainer container) {
        String[] topics = container.getContainerProperties().getTopics();
        return topics == null ? List.of() : List.of(topics);
    }

    public record Report(String bootstrapServers, List<Group> groups) {
    }

    public record Group(String groupId, List<Listener> listeners, List<PartitionLag> lag) {
    }

    public record Listener(String id, List<String> topics, boolean running, Collection<String> assignedPartitions) {
    }

    public record PartitionLag(String topic, int partition, long committedOffset, long endOffset, long lag) {

        static PartitionLag of(ConsumerLag lag) {
            return new PartitionLag(lag.topic(), lag.partition(), lag.committedOffset(), lag.endOffset(), lag.lag());
        }
    }
}
