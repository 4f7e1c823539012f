package io.tributary.broker.metadata;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tributary.broker.log.LogConfig;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The topic-level configs the broker understands (Kafka's names), their types, the broker-wide
 * defaults, validation of overrides, and the {@link LogConfig} a topic's log runs with.
 */
public final class TopicConfigs {

    /** One topic config: name, type, and the default the broker applies when a topic sets none. */
    public record Definition(String name, ConfigType type, String defaultValue, String documentation) {
    }

    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final LogConfig defaults;

    public TopicConfigs(LogConfig defaults, int minInsyncReplicas) {
        this.defaults = defaults;
        define("cleanup.policy", ConfigType.LIST, "delete", "delete and/or compact old segments");
        define("compression.type", ConfigType.STRING, "producer", "compression of stored batches; producer keeps the producer's");
        define("delete.retention.ms", ConfigType.LONG, "86400000", "how long tombstones are kept in compacted topics");
        define("file.delete.delay.ms", ConfigType.LONG, Long.toString(defaults.fileDeleteDelayMs()), "delay before deleted segment files are removed");
        define("flush.messages", ConfigType.LONG, Long.toString(defaults.flushMessages()), "fsync after this many records");
        define("flush.ms", ConfigType.LONG, Long.toString(defaults.flushMs()), "fsync data older than this");
        define("index.interval.bytes", ConfigType.INT, Integer.toString(defaults.indexIntervalBytes()), "bytes between offset index entries");
        define("max.compaction.lag.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), "longest time a record stays uncompacted");
        define("max.message.bytes", ConfigType.INT, Integer.toString(defaults.maxMessageBytes()), "largest record batch accepted");
        define("message.timestamp.after.max.ms", ConfigType.LONG, "3600000", "how far in the future a CreateTime may be");
        define("message.timestamp.before.max.ms", ConfigType.LONG, Long.toString(Long.MAX_VALUE), "how far in the past a CreateTime may be");
        define("message.timestamp.type", ConfigType.STRING, timestampTypeName(defaults.timestampType()), "CreateTime or LogAppendTime");
        define("min.cleanable.dirty.ratio", ConfigType.DOUBLE, "0.5", "dirty share of a log that triggers compaction");
        define("min.compaction.lag.ms", ConfigType.LONG, "0", "shortest time a record stays uncompacted");
        define("min.insync.replicas", ConfigType.INT, Integer.toString(minInsyncReplicas), "in-sync replicas needed for acks=all");
        define("preallocate", ConfigType.BOOLEAN, "false", "preallocate segment files (ignored)");
        define("retention.bytes", ConfigType.LONG, Long.toString(defaults.retentionBytes()), "largest size of a partition before old segments are deleted");
        define("retention.ms", ConfigType.LONG, Long.toString(defaults.retentionMs()), "age after which old segments are deleted");
        define("segment.bytes", ConfigType.INT, Integer.toString(defaults.segmentBytes()), "size at which a segment rolls");
        define("segment.index.bytes", ConfigType.INT, Integer.toString(defaults.segmentIndexBytes()), "preallocated size of the index files");
        define("segment.jitter.ms", ConfigType.LONG, "0", "random jitter of segment.ms (ignored)");
        define("segment.ms", ConfigType.LONG, Long.toString(defaults.segmentMs()), "age at which a segment rolls");
        define(ThrottledReplicas.LEADER_CONFIG, ConfigType.LIST, "",
                "partition:broker replicas whose leaders throttle replication to followers outside the ISR, or *");
        define(ThrottledReplicas.FOLLOWER_CONFIG, ConfigType.LIST, "",
                "partition:broker replicas that fetch under the follower replication throttle while outside the ISR, or *");
        define("unclean.leader.election.enable", ConfigType.BOOLEAN, "false", "whether an out-of-sync replica may become leader");
    }

    private void define(String name, ConfigType type, String defaultValue, String documentation) {
        definitions.put(name, new Definition(name, type, defaultValue, documentation));
    }

    public List<Definition> definitions() {
        return List.copyOf(definitions.values());
    }

    public boolean isKnown(String name) {
        return definitions.containsKey(name);
    }

    public Definition definition(String name) {
        return definitions.get(name);
    }

    /** The value a topic with these overrides has for {@code name}. */
    public String effectiveValue(Map<String, String> overrides, String name) {
        String value = overrides.get(name);
        return value != null ? value : definitions.get(name).defaultValue();
    }

    /** Throws {@link MetadataException} with INVALID_CONFIG unless every override is a known config with a valid value. */
    public void validate(Map<String, String> overrides) {
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            validate(entry.getKey(), entry.getValue());
        }
        toLogConfig(overrides); // cross-checks value ranges
    }

    private void validate(String name, String value) {
        Definition definition = definitions.get(name);
        if (definition == null) {
            throw invalid("Unknown topic config name: " + name);
        }
        if (value == null) {
            throw invalid("Null value not supported for topic configs: " + name);
        }
        String trimmed = value.trim();
        try {
            switch (definition.type()) {
                case INT -> Integer.parseInt(trimmed);
                case LONG -> Long.parseLong(trimmed);
                case DOUBLE -> Double.parseDouble(trimmed);
                case BOOLEAN -> {
                    if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException();
                    }
                }
                default -> {
                }
            }
        } catch (IllegalArgumentException e) {
            throw invalid("Invalid value " + value + " for configuration " + name + ": Not a number of type "
                    + definition.type());
        }
        switch (name) {
            case "cleanup.policy" -> {
                for (String policy : trimmed.split("\\s*,\\s*")) {
                    if (!Set.of("delete", "compact").contains(policy)) {
                        throw invalid("Invalid value " + value + " for configuration cleanup.policy: "
                                + "String must be one of: compact, delete");
                    }
                }
            }
            case "compression.type" -> {
                if (!Set.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer").contains(trimmed)) {
                    throw invalid("Invalid value " + value + " for configuration compression.type: String must be one of: "
                            + "uncompressed, zstd, lz4, snappy, gzip, producer");
                }
            }
            case "message.timestamp.type" -> {
                if (!trimmed.equals("CreateTime") && !trimmed.equals("LogAppendTime")) {
                    throw invalid("Invalid value " + value + " for configuration message.timestamp.type: "
                            + "String must be one of: CreateTime, LogAppendTime");
                }
            }
            case ThrottledReplicas.LEADER_CONFIG, ThrottledReplicas.FOLLOWER_CONFIG -> ThrottledReplicas.parse(name, value);
            case "min.insync.replicas" -> {
                if (Integer.parseInt(trimmed) < 1) {
                    throw invalid("Invalid value " + value + " for configuration min.insync.replicas: Value must be at least 1");
                }
            }
            default -> {
            }
        }
    }

    /** The settings of the log of a topic with these overrides. */
    public LogConfig toLogConfig(Map<String, String> overrides) {
        try {
            return LogConfig.builder()
                    .segmentBytes(intValue(overrides, "segment.bytes"))
                    .segmentMs(longValue(overrides, "segment.ms"))
                    .segmentIndexBytes(intValue(overrides, "segment.index.bytes"))
                    .indexIntervalBytes(intValue(overrides, "index.interval.bytes"))
                    .retentionMs(longValue(overrides, "retention.ms"))
                    .retentionBytes(longValue(overrides, "retention.bytes"))
                    .flushMessages(longValue(overrides, "flush.messages"))
                    .flushMs(longValue(overrides, "flush.ms"))
                    .maxMessageBytes(intValue(overrides, "max.message.bytes"))
                    .timestampType("LogAppendTime".equals(effectiveValue(overrides, "message.timestamp.type"))
                            ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME)
                    .fileDeleteDelayMs(longValue(overrides, "file.delete.delay.ms"))
                    .cleanupPolicy(effectiveValue(overrides, "cleanup.policy"))
                    .deleteRetentionMs(longValue(overrides, "delete.retention.ms"))
                    .minCompactionLagMs(longValue(overrides, "min.compaction.lag.ms"))
                    .minCleanableDirtyRatio(Double.parseDouble(effectiveValue(overrides, "min.cleanable.dirty.ratio").trim()))
                    .build();
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    public int minInsyncReplicas(Map<String, String> overrides) {
        return intValue(overrides, "min.insync.replicas");
    }

    private int intValue(Map<String, String> overrides, String name) {
        return Integer.parseInt(effectiveValue(overrides, name).trim());
    }

    private long longValue(Map<String, String> overrides, String name) {
        return Long.parseLong(effectiveValue(overrides, name).trim());
    }

    static String timestampTypeName(TimestampType type) {
        return type == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime";
    }

    private static MetadataException invalid(String message) {
        return new MetadataException(Errors.INVALID_CONFIG, message);
    }
}
