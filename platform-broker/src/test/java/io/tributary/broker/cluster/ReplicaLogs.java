package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.RecordBatch;

/** Replica logs of brokers in this JVM compared batch by batch: offsets, leader epochs and checksums. */
final class ReplicaLogs {

    private ReplicaLogs() {
    }

    /** Waits until every one of {@code replicas} holds the leader's log of {@code tp}, byte for byte. */
    static void assertSameAsLeader(LocalCluster cluster, TopicPartition tp, Collection<Integer> replicas) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            int any = replicas.iterator().next();
            PartitionState state = cluster.node(any).image().partition(tp.topic(), tp.partition()).orElseThrow();
            PartitionLog leaderLog = log(cluster, state.leader(), tp);
            for (int replica : replicas) {
                PartitionLog replicaLog = log(cluster, replica, tp);
                assertThat(replicaLog.logStartOffset()).as("log start of %s on %d", tp, replica)
                        .isEqualTo(leaderLog.logStartOffset());
                assertThat(replicaLog.logEndOffset()).as("log end of %s on %d", tp, replica)
                        .isEqualTo(leaderLog.logEndOffset());
                assertThat(batches(replicaLog)).as("batches of %s on %d", tp, replica).isEqualTo(batches(leaderLog));
            }
        });
    }

    static PartitionLog log(LocalCluster cluster, int node, TopicPartition tp) {
        return cluster.node(node).partitions().partition(tp).orElseThrow().log();
    }

    /** Every batch of the log as base-last@epoch#checksum. */
    static List<String> batches(PartitionLog log) {
        List<String> batches = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            var records = log.read(next, 1 << 20, Long.MAX_VALUE, true).slice().toMemoryRecords();
            for (RecordBatch batch : records.batches()) {
                batches.add(batch.baseOffset() + "-" + batch.lastOffset() + "@" + batch.partitionLeaderEpoch() + "#"
                        + batch.checksum());
                next = batch.lastOffset() + 1;
            }
        }
        return batches;
    }
}
