package io.tributary.broker.admin.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Browsing a partition's committed records (up to the high watermark, as a consumer sees them) and
 * producing a record as a non-idempotent producer with {@code acks=1} would.
 */
@RestController
@RequestMapping("/api/topics/{name}")
class RecordsController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 500;
    /** Bytes read from the log per step while browsing; a larger first batch is still read whole. */
    private static final int READ_BYTES = 1024 * 1024;

    record RecordHeaderView(String key, String value, String encoding) {
    }

    record RecordView(long offset, long timestamp, String timestampType, String key, String keyEncoding, String value,
            String valueEncoding, List<RecordHeaderView> headers) {
    }

    /**
     * A page of records.
     *
     * @param nextOffset where the next page starts
     */
    record RecordPage(String topic, int partition, long logStartOffset, long highWatermark, long nextOffset,
            List<RecordView> records) {
    }

    /**
     * A record to append.
     *
     * @param partition     absent: by the murmur2 hash of the key as Kafka's producer does, or round-robin without a key
     * @param keyEncoding   {@code utf8} (default) or {@code base64}
     * @param valueEncoding {@code utf8} (default) or {@code base64}
     */
    record ProduceRecord(Integer partition, String key, String keyEncoding, String value, String valueEncoding,
            Map<String, String> headers) {
    }

    record Produced(String topic, int partition, long offset, long timestamp) {
    }

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    RecordsController(TopicManager topics, PartitionManager partitions) {
        this.topics = topics;
        this.partitions = partitions;
    }

    @GetMapping("/partitions/{partition}/records")
    RecordPage browse(@PathVariable String name, @PathVariable int partition,
            @RequestParam(required = false) Long offset, @RequestParam(required = false) Long timestamp,
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        if (offset != null && timestamp != null) {
            throw AdminProblems.badRequest("Browse from an offset or from a timestamp, not both");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw AdminProblems.badRequest("The limit must be between 1 and " + MAX_LIMIT);
        }
        PartitionLog log = partition(name, partition).log();
        long highWatermark = log.highWatermark();
        long start;
        if (offset != null) {
            start = offset;
        } else if (timestamp != null) {
            start = log.offsetForTimestamp(timestamp).map(TimestampOffset::offset).orElse(highWatermark);
        } else {
            start = log.logStartOffset();
        }
        if (start < log.logStartOffset() || start > highWatermark) {
            throw AdminProblems.badRequest("Offset " + start + " is outside the readable range ["
                    + log.logStartOffset() + ", " + highWatermark + "] of " + name + "-" + partition);
        }
        List<RecordView> records = new ArrayList<>();
        long position = start;
        while (records.size() < limit && position < highWatermark) {
            LogReadResult read = log.read(position, READ_BYTES, highWatermark, true);
            if (read.slice().isEmpty()) {
                break;
            }
            long next = position;
            for (RecordBatch batch : read.slice().toMemoryRecords().batches()) {
                next = Math.max(next, batch.nextOffset());
                if (batch.isControlBatch()) {
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() >= start && record.offset() < highWatermark && records.size() < limit) {
                        records.add(view(record, batch));
                    }
                }
            }
            if (next <= position) {
                break;
            }
            position = next;
        }
        long nextOffset = records.isEmpty() ? start : records.get(records.size() - 1).offset() + 1;
        return new RecordPage(name, partition, log.logStartOffset(), highWatermark, nextOffset, records);
    }

    @PostMapping("/records")
    ResponseEntity<Produced> produce(@PathVariable String name, @RequestBody ProduceRecord request,
            UriComponentsBuilder uri) {
        TopicInfo topic = topic(name);
        byte[] key = RecordBytes.decode(request.key(), request.keyEncoding(), "key");
        byte[] value = RecordBytes.decode(request.value(), request.valueEncoding(), "value");
        List<Header> headers = new ArrayList<>();
        if (request.headers() != null) {
            request.headers().forEach((headerKey, headerValue) -> headers.add(new RecordHeader(headerKey,
                    headerValue == null ? null : headerValue.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        int index = request.partition() != null ? request.partition() : choosePartition(topic, key);
        Partition partition = partition(name, index);
        long now = System.currentTimeMillis();
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(now, key, value, headers.toArray(Header[]::new)));
        Partition.ProduceOutcome outcome = partition.appendAsLeader(records);
        long timestamp = outcome.logAppendTime() >= 0 ? outcome.logAppendTime() : now;
        URI location = uri.path("/api/topics/{name}/partitions/{partition}/records")
                .queryParam("offset", outcome.baseOffset()).queryParam("limit", 1)
                .buildAndExpand(name, index).toUri();
        return ResponseEntity.created(location).body(new Produced(name, index, outcome.baseOffset(), timestamp));
    }

    /** Kafka's default partitioner: murmur2 of the key, or round-robin for records without one. */
    private int choosePartition(TopicInfo topic, byte[] key) {
        if (key != null) {
            return Utils.toPositive(Utils.murmur2(key)) % topic.partitionCount();
        }
        int next = roundRobin.computeIfAbsent(topic.name(), t -> new AtomicInteger()).getAndIncrement();
        return Utils.toPositive(next) % topic.partitionCount();
    }

    private static RecordView view(Record record, RecordBatch batch) {
        RecordBytes.Encoded key = RecordBytes.encode(record.hasKey() ? record.key() : null);
        RecordBytes.Encoded value = RecordBytes.encode(record.hasValue() ? record.value() : null);
        List<RecordHeaderView> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            RecordBytes.Encoded headerValue = RecordBytes.encode(header.value());
            headers.add(new RecordHeaderView(header.key(), headerValue.data(), headerValue.encoding()));
        }
        return new RecordView(record.offset(), record.timestamp(), batch.timestampType().name, key.data(),
                key.encoding(), value.data(), value.encoding(), headers);
    }

    private TopicInfo topic(String name) {
        return topics.store().topic(name).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "Topic '" + name + "' does not exist."));
    }

    private Partition partition(String name, int index) {
        topic(name);
        return partitions.partition(new TopicPartition(name, index)).orElseThrow(() -> new MetadataException(
                Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + index + " of topic '" + name + "' does not exist."));
    }
}
