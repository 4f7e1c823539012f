package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Replica logs compared batch by batch: offsets, leader epochs and checksums; those of brokers in this
 * JVM through their logs, and those of broker processes through their segment files.
 */
public final class ReplicaLogs {

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

    /**
     * Every batch of a partition in the segment files of a broker's data directory, as {@link #batches}
     * writes them. The files are only read (a batch still being written is left out), so the broker may
     * be running.
     */
    public static List<String> batchesOnDisk(Path dataDir, TopicPartition tp) throws IOException {
        return batchesOnDisk(dataDir, tp, ReplicaLogs::describe);
    }

    /**
     * Every batch in the partition's segment files under {@code dataDir} as base-last@epoch, with the producer
     * id, producer epoch and sequence numbers that the broker deduplicates by: what a report shows when a
     * record was found twice.
     */
    public static List<String> producerBatchesOnDisk(Path dataDir, TopicPartition tp) throws IOException {
        return batchesOnDisk(dataDir, tp, batch -> batch.baseOffset() + "-" + batch.lastOffset() + "@"
                + batch.partitionLeaderEpoch() + " producer " + batch.producerId() + " epoch " + batch.producerEpoch()
                + " sequence " + batch.baseSequence() + "-" + batch.lastSequence());
    }

    private static List<String> batchesOnDisk(Path dataDir, TopicPartition tp, Function<RecordBatch, String> describe)
            throws IOException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(dataDir.resolve(tp.topic() + "-" + tp.partition()))) {
            segments = files.filter(f -> f.toString().endsWith(".log")).sorted().toList();
        }
        List<String> batches = new ArrayList<>();
        for (Path segment : segments) {
            for (RecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(segment))).batches()) {
                batches.add(describe.apply(batch));
            }
        }
        return batches;
    }

    /** Every batch of the log as base-last@epoch#checksum. */
    static List<String> batches(PartitionLog log) {
        List<String> batches = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            var records = log.read(next, 1 << 20, Long.MAX_VALUE, true).slice().toMemoryRecords();
            for (RecordBatch batch : records.batches()) {
                batches.add(describe(batch));
                next = batch.lastOffset() + 1;
            }
        }
        return batches;
    }

    private static String describe(RecordBatch batch) {
        return batch.baseOffset() + "-" + batch.lastOffset() + "@" + batch.partitionLeaderEpoch() + "#" + batch.checksum();
    }
}
