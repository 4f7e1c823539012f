package io.tributary.broker.log.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogSlice;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
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
 * Sequential reads of a 512 MiB log in fetches of up to 1 MiB, as a consumer catching up does:
 * locate the start offset through the index, pick whole batches, and copy the bytes out of the
 * page cache (the network layer sends the same region with sendfile instead). Bytes per second =
 * ops/s × the bytes each read returns (about 1 MiB).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class LogReadBenchmark {

    private static final int FETCH_BYTES = 1024 * 1024;
    private static final long LOG_BYTES = 512L * 1024 * 1024;

    @Param({"16384", "65536"})
    public int batchBytes;

    private Path dir;
    private PartitionLog log;
    private final ByteBuffer destination = ByteBuffer.allocateDirect(2 * FETCH_BYTES);
    private long nextOffset;

    @Setup(Level.Trial)
    public void fillLog() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))),
                "read-bench");
        log = PartitionLog.open(dir.resolve("bench-0"), new TopicPartition("bench", 0),
                LogConfig.builder().retentionMs(-1).segmentBytes(128 * 1024 * 1024).build(), Clock.systemUTC(),
                FileChannelFactory.DEFAULT, null);
        MemoryRecords batch = LogAppendBenchmark.batchOf(batchBytes);
        while (log.sizeInBytes() < LOG_BYTES) {
            log.append(batch, 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @TearDown(Level.Trial)
    public void deleteLog() throws IOException {
        log.close();
        BenchFiles.deleteRecursively(dir);
    }

    @Benchmark
    public int readOneFetch() throws IOException {
        if (nextOffset >= log.logEndOffset()) {
            nextOffset = 0;
        }
        LogSlice slice = log.read(nextOffset, FETCH_BYTES, log.highWatermark(), true).slice();
        destination.clear().limit(slice.sizeInBytes());
        while (destination.hasRemaining()) {
            slice.channel().read(destination, slice.position() + destination.position());
        }
        // The last batch's offset delta tells where the next fetch starts.
        int lastBatch = lastBatchStart(destination, slice.sizeInBytes());
        nextOffset = destination.getLong(lastBatch) + destination.getInt(lastBatch + 23) + 1;
        return slice.sizeInBytes();
    }

    private static int lastBatchStart(ByteBuffer bytes, int size) {
        int position = 0;
        int last = 0;
        while (position < size) {
            last = position;
            position += 12 + bytes.getInt(position + 8);
        }
        return last;
    }
}
