package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/** Keyed batches as a compacted topic's producers send them, and readers of a compacted log. */
final class CompactionTestSupport {

    private CompactionTestSupport() {
    }

    /** A record of the log: its offset, key and value (null for a tombstone). */
    record Stored(long offset, String key, String value) {
    }

    /** One batch of keyed records, all with {@code timestamp}; a null value is a tombstone. */
    static MemoryRecords keyed(long timestamp, List<Map.Entry<String, String>> records) {
        return keyed(Compression.NONE, timestamp, records);
    }

    static MemoryRecords keyed(Compression compression, long timestamp, List<Map.Entry<String, String>> records) {
        SimpleRecord[] simple = new SimpleRecord[records.size()];
        for (int i = 0; i < simple.length; i++) {
            Map.Entry<String, String> record = records.get(i);
            simple[i] = new SimpleRecord(timestamp, bytes(record.getKey()), bytes(record.getValue()));
        }
        return MemoryRecords.withRecords(compression, simple);
    }

    /** A batch of one record. */
    static MemoryRecords keyed(long timestamp, String key, String value) {
        return keyed(timestamp, List.of(entry(key, value)));
    }

    static Map.Entry<String, String> entry(String key, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(key, value);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer buffer) {
        return buffer == null ? null : StandardCharsets.UTF_8.decode(buffer).toString();
    }

    /** Every record from the log start to the log end, read as a consumer does, batch after batch. */
    static List<Stored> readLog(PartitionLog log) {
        List<Stored> stored = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            MemoryRecords records = log.read(next, 64 * 1024, Long.MAX_VALUE, true).slice().toMemoryRecords();
            if (records.sizeInBytes() == 0) {
                throw new AssertionError("A read at offset " + next + " below the log end " + log.logEndOffset()
                        + " returned nothing");
            }
            for (RecordBatch batch : records.batches()) {
                batch.ensureValid();
                for (Record record : batch) {
                    if (record.offset() >= next) {
                        stored.add(new Stored(record.offset(), text(record.key()), text(record.value())));
                    }
                }
                next = Math.max(next, batch.nextOffset());
            }
        }
        return stored;
    }

    /** The latest value of each key (null for a tombstone), in the order keys were first seen. */
    static Map<String, String> latest(List<Stored> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Stored record : records) {
            latest.put(record.key(), record.value());
        }
        return latest;
    }

    /** The offset of each key's latest record. */
    static Map<String, Long> latestOffsets(List<Stored> records) {
        Map<String, Long> latest = new LinkedHashMap<>();
        for (Stored record : records) {
            latest.put(record.key(), record.offset());
        }
        return latest;
    }
}
