package io.tributary.broker.group;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import io.tributary.broker.group.assignor.PartitionRacks;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;

/**
 * The racks of partitions' replicas as the cluster metadata has them (Kafka's {@code racksForPartition}
 * over its metadata image): a replica's rack is the {@code tributary.broker.rack} of the registered broker
 * that holds it, fenced or not, since a fenced broker is still where the replica is.
 */
final class ReplicaRacks {

    private ReplicaRacks() {
    }

    /** A snapshot of the brokers' racks, reading partitions' replicas as they are asked for. */
    static PartitionRacks of(ClusterMetadata cluster) {
        Map<Integer, String> rackOf = new HashMap<>();
        cluster.brokers().forEach(broker -> {
            if (broker.endpoint().rack() != null) {
                rackOf.put(broker.nodeId(), broker.endpoint().rack());
            }
        });
        if (rackOf.isEmpty()) {
            return PartitionRacks.NONE;
        }
        return tp -> cluster.partition(tp.topic(), tp.partition()).map(state -> racks(state, rackOf)).orElse(Set.of());
    }

    private static Set<String> racks(PartitionState state, Map<Integer, String> rackOf) {
        Set<String> racks = new TreeSet<>();
        for (int replica : state.replicas()) {
            String rack = rackOf.get(replica);
            if (rack != null) {
                racks.add(rack);
            }
        }
        return racks;
    }
}
