package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the fault suite's report shows of a replica's batches when a record was found twice. */
class ReplicaLogsTest {

    @TempDir
    Path dir;

    @Test
    void producerBatchesShowTheProducerIdEpochAndSequencesOfEachBatchOnDisk() throws Exception {
        TopicPartition tp = new TopicPartition("queue", 2);
        try (LogManager logs = new LogManager(dir, LogConfig.DEFAULT)) {
            logs.startup();
            PartitionLog log = logs.getOrCreateLog(tp);
            log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 3, 0,
                    new SimpleRecord("440".getBytes()), new SimpleRecord("443".getBytes())), 5);
            log.append(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 4, 0,
                    new SimpleRecord("440".getBytes())), 5);
            log.flush();
        }

        assertThat(ReplicaLogs.producerBatchesOnDisk(dir, tp)).containsExactly(
                "0-1@5 producer 7 epoch 3 sequence 0-1",
                "2-2@5 producer 7 epoch 4 sequence 0-0");
    }
}
