package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/** Builders of record batches as a producer sends them, and readers of what the log returns. */
final class LogTestSupport {

    private LogTestSupport() {
    }

    /** A v2 batch of {@code count} records named {@code prefix-i}, with timestamps from {@code firstTimestamp}. */
    static MemoryRecords batch(String prefix, int count, long firstTimestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(firstTimestamp + i, ("key-" + i).getBytes(StandardCharsets.UTF_8),
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8),
                    new Header[] {new RecordHeader("h", ("v" + i).getBytes(StandardCharsets.UTF_8))});
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    static MemoryRecords batch(String prefix, int count) {
        return batch(prefix, count, 1_000);
    }

    /** A batch of {@code count} records with values of {@code valueSize} bytes. */
    static MemoryRecords sizedBatch(int count, int valueSize, long timestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(timestamp, null, new byte[valueSize]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** Several batches in one buffer, as one produce request carries them for a partition. */
    static MemoryRecords concat(MemoryRecords... parts) {
        int size = 0;
        for (MemoryRecords part : parts) {
            size += part.sizeInBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (MemoryRecords part : parts) {
            buffer.put(part.buffer());
        }
        return MemoryRecords.readableRecords(buffer.flip());
    }

    /** The values of all records in the slice, as strings. */
    static List<String> values(LogSlice slice) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : slice.toMemoryRecords().batches()) {
            batch.ensureValid();
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    /** The offsets of all records in the slice. */
    static List<Long> offsets(LogSlice slice) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : slice.toMemoryRecords().batches()) {
            for (Record record : batch) {
                offsets.add(record.offset());
            }
        }
        return offsets;
    }

    /** Every record value from {@code from} to the end of the log. */
    static List<String> readAll(PartitionLog log, long from) {
        List<String> values = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            LogSlice slice = log.read(next, 64 * 1024, Long.MAX_VALUE, true).slice();
            List<Long> offsets = offsets(slice);
            List<String> batchValues = values(slice);
            for (int i = 0; i < offsets.size(); i++) {
                if (offsets.get(i) >= next) {
                    values.add(batchValues.get(i));
                }
            }
            next = offsets.get(offsets.size() - 1) + 1;
        }
        return values;
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        void advance(long deltaMillis) {
            millis += deltaMillis;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }
}
