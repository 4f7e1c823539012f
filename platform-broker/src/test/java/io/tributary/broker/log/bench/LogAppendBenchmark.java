package io.tributary.broker.log.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of one partition log: 1 KiB records in 16 KiB or 64 KiB batches, no fsync
 * (Kafka's default flush policy). Each append validates the batch (CRC32C included), assigns
 * offsets in place and writes it to the segment. Bytes per second = ops/s × batchBytes.
 *
 * <p>Every iteration starts from an empty log so that the data written stays bounded; the data
 * directory is {@code java.io.tmpdir} unless {@code -Dbench.dir=...} names another file system.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class LogAppendBenchmark {

    static final int RECORD_BYTES = 1024;

    @Param({"16384", "65536"})
    public int batchBytes;

    private MemoryRecords batch;
    private Path dir;
    private PartitionLog log;

    @Setup(Level.Trial)
    public void buildBatch() {
        batch = batchOf(batchBytes);
    }

    static MemoryRecords batchOf(int batchBytes) {
        int count = batchBytes / RECORD_BYTES;
        SimpleRecord[] records = new SimpleRecord[count];
        byte[] value = new byte[RECORD_BYTES - 24]; // leaves room for the record's own framing, as a 1 KiB producer record
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), ("key-" + i).getBytes(), value);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "append-bench");
        log = PartitionLog.open(dir.resolve("bench-0"), new TopicPartition("bench", 0),
                LogConfig.builder().retentionMs(-1).build(), Clock.systemUTC(), FileChannelFactory.DEFAULT, null);
    }

    @TearDown(Level.Iteration)
    public void deleteLog() throws IOException {
        log.close();
        BenchFiles.deleteRecursively(dir);
    }

    @Benchmark
    public long append() {
        // The same bytes every time: offsets are rewritten in place, outside the CRC.
        return log.append(batch, 0).lastOffset();
    }
}
