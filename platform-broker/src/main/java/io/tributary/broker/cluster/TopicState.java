package io.tributary.broker.cluster;

import java.util.List;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;

/** A topic and the state of each of its partitions, by index. */
public record TopicState(TopicInfo info, List<PartitionState> partitions) {

    public TopicState {
        partitions = List.copyOf(partitions);
    }
}
