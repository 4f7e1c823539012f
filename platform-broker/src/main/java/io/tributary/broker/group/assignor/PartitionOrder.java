package io.tributary.broker.group.assignor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/** The fixed order assignors walk partitions in: by topic name, then partition number. */
final class PartitionOrder implements Comparator<TopicPartition> {

    static final PartitionOrder INSTANCE = new PartitionOrder();

    private PartitionOrder() {
    }

    @Override
    public int compare(TopicPartition a, TopicPartition b) {
        int byTopic = a.topic().compareTo(b.topic());
        return byTopic != 0 ? byTopic : Integer.compare(a.partition(), b.partition());
    }

    static List<TopicPartition> allPartitions(Map<String, Integer> partitionCounts) {
        List<TopicPartition> all = new ArrayList<>();
        new TreeMap<>(partitionCounts).forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(topic, p));
            }
        });
        return all;
    }
}
