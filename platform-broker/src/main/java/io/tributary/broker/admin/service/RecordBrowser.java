package io.tributary.broker.admin.service;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.Optional;
import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
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
import tools.jackson.core.type.TypeReference;

/**
 * Reading a partition's committed records (up to the high watermark, as a consumer sees them, control
 * batches skipped) and producing a record as a non-idempotent producer with {@code acks=1} would.
 * Reads go through the partition's log as a Fetch does; nothing here keeps a copy of records.
 */
public final class RecordBrowser {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 500;
    /** How many records a filtered browse looks at before it answers with what it found. */
    public static final int MAX_SCANNED = 100_000;
    /** Bytes read from the log per step; a larger first batch is still read whole. */
    private static final int READ_BYTES = 1024 * 1024;

    public record RecordHeaderView(String key, String value, String encoding) {
    }

    public record RecordView(long offset, long timestamp, String timestampType, String key, String keyEncoding,
            String value, String valueEncoding, List<RecordHeaderView> headers) {

        /** The value of the first header with this key, if it is text. */
        public String header(String name) {
            return headers.stream().filter(h -> h.key().equals(name) && RecordBytes.UTF8.equals(h.encoding()))
                    .map(RecordHeaderView::value).findFirst().orElse(null);
        }
    }

    /**
     * A page of records.
     *
     * @param nextOffset where the next page starts
     * @param scanned    how many records were looked at (more than returned when a filter is set)
     */
    public record RecordPage(String topic, int partition, long logStartOffset, long highWatermark, long nextOffset,
            long scanned, List<RecordView> records) {
    }

    /**
     * Where to start and what to keep.
     *
     * @param offset    start at this offset
     * @param timestamp start at the first record at or after this time (epoch millis)
     * @param newest    start so that the page ends at the high watermark (with no filter: the last {@code limit} records)
     * @param filter    keep only matching records; {@link RecordFilter#NONE} keeps all
     */
    public record BrowseRequest(Long offset, Long timestamp, boolean newest, int limit, RecordFilter filter) {

        public static BrowseRequest from(Long offset, int limit) {
            return new BrowseRequest(offset, null, false, limit, RecordFilter.NONE);
        }
    }

    /**
     * Which records to keep: all of the set conditions must hold.
     *
     * @param key         the key, as UTF-8 text, equals this
     * @param header      a header with this key exists (and, with {@code headerValue}, has this text value)
     * @param valueContains the value, as UTF-8 text, contains this
     */
    public record RecordFilter(String key, String header, String headerValue, String valueContains) {

        public static final RecordFilter NONE = new RecordFilter(null, null, null, null);

        public RecordFilter {
            key = blankToNull(key);
            header = blankToNull(header);
            headerValue = blankToNull(headerValue);
            valueContains = blankToNull(valueContains);
        }

        public boolean isEmpty() {
            return key == null && header == null && headerValue == null && valueContains == null;
        }

        Predicate<RecordView> predicate() {
            return view -> (key == null || key.equals(view.key()))
                    && (header == null || view.headers().stream().anyMatch(h -> h.key().equals(header)
                            && (headerValue == null || headerValue.equals(h.value()))))
                    && (valueContains == null || (view.value() != null && RecordBytes.UTF8.equals(view.valueEncoding())
                            && view.value().contains(valueContains)));
        }

        private static String blankToNull(String text) {
            return text == null || text.isBlank() ? null : text;
        }
    }

    /**
     * A record to append.
     *
     * @param partition     absent: by the murmur2 hash of the key as Kafka's producer does, or round-robin without a key
     * @param keyEncoding   {@code utf8} (default) or {@code base64}
     * @param valueEncoding {@code utf8} (default) or {@code base64}
     */
    public record ProduceRecord(Integer partition, String key, String keyEncoding, String value, String valueEncoding,
            Map<String, String> headers) {
    }

    public record Produced(String topic, int partition, long offset, long timestamp) {
    }

    private static final TypeReference<RecordPage> PAGE = new TypeReference<>() {
    };
    private static final TypeReference<Produced> PRODUCED = new TypeReference<>() {
    };

    private final TopicAdmin topics;
    private final PartitionManager partitions;
    private final ClusterPartitions cluster;
    private final PeerBrokers peers;
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();

    public RecordBrowser(TopicAdmin topics, PartitionManager partitions, ClusterPartitions cluster, PeerBrokers peers) {
        this.topics = topics;
        this.partitions = partitions;
        this.cluster = cluster;
        this.peers = peers;
    }

    public RecordPage browse(String topic, int partition, BrowseRequest request) {
        if (request.offset() != null && request.timestamp() != null) {
            throw AdminProblems.badRequest("Browse from an offset or from a timestamp, not both");
        }
        if (request.limit() < 1 || request.limit() > MAX_LIMIT) {
            throw AdminProblems.badRequest("The limit must be between 1 and " + MAX_LIMIT);
        }
        if (request.offset() != null && request.offset() < 0) {
            throw AdminProblems.badRequest("The offset must not be negative: " + request.offset());
        }
        topics.authorization().check(AclOperation.READ, ResourceType.TOPIC, topic, ApiKeys.FETCH);
        TopicPartition tp = new TopicPartition(topic, partition);
        topics.topic(topic);
        if (!cluster.isLocal(tp)) {
            return browseElsewhere(tp, request);
        }
        PartitionLog log = partition(topic, partition).log();
        long highWatermark = log.highWatermark();
        long logStart = log.logStartOffset();
        RecordFilter filter = request.filter() != null ? request.filter() : RecordFilter.NONE;
        if (request.newest()) {
            return newest(topic, partition, log, request.limit(), filter);
        }
        long start;
        if (request.offset() != null) {
            start = request.offset();
        } else if (request.timestamp() != null) {
            // A record past the high watermark (not yet on every in-sync replica) is not readable yet.
            start = Math.min(highWatermark,
                    log.offsetForTimestamp(request.timestamp()).map(TimestampOffset::offset).orElse(highWatermark));
        } else {
            start = logStart;
        }
        if (start < logStart || start > highWatermark) {
            throw AdminProblems.badRequest("Offset " + start + " is outside the readable range ["
                    + logStart + ", " + highWatermark + "] of " + topic + "-" + partition);
        }
        Scan scan = scan(log, start, highWatermark, request.limit(), MAX_SCANNED, filter.predicate());
        long nextOffset = scan.next();
        return new RecordPage(topic, partition, logStart, highWatermark, nextOffset, scan.scanned(), scan.records());
    }

    /**
     * The newest records with this key (at most {@link #MAX_LIMIT}) among the last {@link #MAX_SCANNED}
     * of the partition Kafka's default partitioner sends the key to.
     */
    public List<RecordView> withKey(TopicInfo topic, String key) {
        int index = partitionForKey(key, topic.partitionCount());
        return browse(topic.name(), index, new BrowseRequest(null, null, true, MAX_LIMIT,
                new RecordFilter(key, null, null, null))).records();
    }

    /** The partition a record with this key goes to, as Kafka's default partitioner chooses. */
    public static int partitionForKey(String key, int partitionCount) {
        return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitionCount);
    }

    public Produced produce(String topicName, ProduceRecord request) {
        topics.authorization().check(AclOperation.WRITE, ResourceType.TOPIC, topicName, ApiKeys.PRODUCE);
        TopicInfo topic = topics.topic(topicName);
        byte[] key = RecordBytes.decode(request.key(), request.keyEncoding(), "key");
        byte[] value = RecordBytes.decode(request.value(), request.valueEncoding(), "value");
        List<Header> headers = new ArrayList<>();
        if (request.headers() != null) {
            request.headers().forEach((headerKey, headerValue) -> {
                if (headerKey == null || headerKey.isBlank()) {
                    throw AdminProblems.badRequest("A header needs a name");
                }
                headers.add(new RecordHeader(headerKey,
                        headerValue == null ? null : headerValue.getBytes(StandardCharsets.UTF_8)));
            });
        }
        int index = request.partition() != null ? request.partition() : choosePartition(topic, key);
        if (index < 0 || index >= topic.partitionCount()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + index + " of topic '"
                    + topicName + "' does not exist.");
        }
        Partition local = partitions.partition(new TopicPartition(topicName, index)).orElse(null);
        if (local == null || !local.isLeader()) {
            int leader = topics.find(topicName).flatMap(t -> Optional.ofNullable(leaderOf(topicName, index))).orElseThrow(
                    () -> new MetadataException(Errors.LEADER_NOT_AVAILABLE, "Partition " + index + " of topic '"
                            + topicName + "' has no leader"));
            ProduceRecord routed = new ProduceRecord(index, request.key(), request.keyEncoding(), request.value(),
                    request.valueEncoding(), request.headers());
            return peers.post(leader, "/api/topics/" + PeerBrokers.segment(topicName) + "/records", routed, PRODUCED);
        }
        Partition partition = local;
        long now = System.currentTimeMillis();
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(now, key, value, headers.toArray(Header[]::new)));
        Partition.ProduceOutcome outcome = partition.appendAsLeader(records);
        long timestamp = outcome.logAppendTime() >= 0 ? outcome.logAppendTime() : now;
        return new Produced(topicName, index, outcome.baseOffset(), timestamp);
    }

    /** A partition this broker has no replica of, read through the admin API of the broker that leads it. */
    private RecordPage browseElsewhere(TopicPartition tp, BrowseRequest request) {
        RecordFilter filter = request.filter() != null ? request.filter() : RecordFilter.NONE;
        Map<String, Object> query = new java.util.LinkedHashMap<>();
        query.put("offset", request.offset());
        query.put("timestamp", request.timestamp());
        query.put("newest", request.newest() ? "true" : null);
        query.put("limit", request.limit());
        query.put("key", filter.key());
        query.put("header", filter.header());
        query.put("headerValue", filter.headerValue());
        query.put("contains", filter.valueContains());
        return peers.get(cluster.holder(tp), "/api/topics/" + PeerBrokers.segment(tp.topic()) + "/partitions/"
                + tp.partition() + "/records" + PeerBrokers.query(query), PAGE);
    }

    private Integer leaderOf(String topic, int index) {
        return topics.partitionState(topic, index).filter(s -> s.leader() >= 0).map(s -> s.leader()).orElse(null);
    }

    /**
     * The last page: without a filter the {@code limit} records before the high watermark; with one,
     * the last {@code limit} matches among the last {@link #MAX_SCANNED} records.
     */
    private RecordPage newest(String topic, int partition, PartitionLog log, int limit, RecordFilter filter) {
        long highWatermark = log.highWatermark();
        long logStart = log.logStartOffset();
        long window = filter.isEmpty() ? limit : MAX_SCANNED;
        long start = Math.max(logStart, highWatermark - window);
        Scan scan = scan(log, start, highWatermark, Integer.MAX_VALUE, MAX_SCANNED, filter.predicate());
        List<RecordView> found = scan.records();
        List<RecordView> last = found.subList(Math.max(0, found.size() - limit), found.size());
        return new RecordPage(topic, partition, logStart, highWatermark, highWatermark, scan.scanned(), List.copyOf(last));
    }

    private record Scan(List<RecordView> records, long scanned, long next) {
    }

    /** Walks the log from {@code start} until {@code limit} records matched or {@code maxScanned} were seen. */
    private static Scan scan(PartitionLog log, long start, long highWatermark, int limit, long maxScanned,
            Predicate<RecordView> keep) {
        List<RecordView> records = new ArrayList<>();
        long scanned = 0;
        long next = start;
        long position = start;
        outer:
        while (records.size() < limit && scanned < maxScanned && position < highWatermark) {
            LogReadResult read = log.read(position, READ_BYTES, highWatermark, true);
            if (read.slice().isEmpty()) {
                break;
            }
            long batchEnd = position;
            for (RecordBatch batch : read.slice().toMemoryRecords().batches()) {
                batchEnd = Math.max(batchEnd, batch.nextOffset());
                if (batch.isControlBatch()) {
                    next = Math.max(next, batch.nextOffset());
                    continue;
                }
                for (Record record : batch) {
                    if (record.offset() < start || record.offset() >= highWatermark) {
                        continue;
                    }
                    if (records.size() >= limit || scanned >= maxScanned) {
                        break outer;
                    }
                    scanned++;
                    next = record.offset() + 1;
                    RecordView view = view(record, batch);
                    if (keep.test(view)) {
                        records.add(view);
                    }
                }
            }
            if (batchEnd <= position) {
                break;
            }
            position = batchEnd;
        }
        return new Scan(records, scanned, next);
    }

    /** Kafka's default partitioner: murmur2 of the key, or round-robin for records without one. */
    private int choosePartition(TopicInfo topic, byte[] key) {
        if (key != null) {
            return BuiltInPartitioner.partitionForKey(key, topic.partitionCount());
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

    private Partition partition(String name, int index) {
        topics.topic(name);
        return partitions.partition(new TopicPartition(name, index)).orElseThrow(() -> new MetadataException(
                Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + index + " of topic '" + name
                        + "' does not exist on this broker."));
    }
}
