package io.tributary.broker.metadata;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * The group configs Tributary knows (Kafka's {@code GroupConfig}, without the {@code streams.*} ones of
 * streams groups, which Tributary does not have): their names, types, defaults and Kafka's checks, with
 * Kafka's messages. A group's configs are checked as a whole over the defaults: every value must parse,
 * keep its broker bounds, and each session timeout must exceed its heartbeat interval. Immutable.
 */
public final class GroupConfigSchema {

    public static final String CONSUMER_SESSION_TIMEOUT_MS = "consumer.session.timeout.ms";
    public static final String CONSUMER_HEARTBEAT_INTERVAL_MS = "consumer.heartbeat.interval.ms";
    public static final String SHARE_SESSION_TIMEOUT_MS = "share.session.timeout.ms";
    public static final String SHARE_HEARTBEAT_INTERVAL_MS = "share.heartbeat.interval.ms";
    public static final String SHARE_RECORD_LOCK_DURATION_MS = "share.record.lock.duration.ms";
    public static final String SHARE_AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String SHARE_ISOLATION_LEVEL = "share.isolation.level";

    /** A group config: its name, type, default and what it does. */
    public record Definition(String name, ConfigType type, String defaultValue, String documentation) {
    }

    /** A numeric config with its lowest value whatever the broker, as Kafka's {@code atLeast}, and its broker bounds. */
    private record IntRule(int atLeast, GroupConfigLimits.Bounded bounds) {
    }

    private final Map<String, Definition> definitions = new LinkedHashMap<>();
    private final Map<String, IntRule> intRules = new HashMap<>();

    public GroupConfigSchema(GroupConfigLimits limits) {
        defineInt(CONSUMER_SESSION_TIMEOUT_MS, 1, limits.consumerSessionTimeoutMs(),
                "The timeout to detect client failures when using the consumer group protocol.");
        defineInt(CONSUMER_HEARTBEAT_INTERVAL_MS, 1, limits.consumerHeartbeatIntervalMs(),
                "The heartbeat interval given to the members of a consumer group.");
        defineInt(SHARE_SESSION_TIMEOUT_MS, 1, limits.shareSessionTimeoutMs(),
                "The timeout to detect client failures when using the share group protocol.");
        defineInt(SHARE_HEARTBEAT_INTERVAL_MS, 1, limits.shareHeartbeatIntervalMs(),
                "The heartbeat interval given to the members of a share group.");
        defineInt(SHARE_RECORD_LOCK_DURATION_MS, 1000, limits.shareRecordLockDurationMs(),
                "The record acquisition lock duration in milliseconds for share groups.");
        define(new Definition(SHARE_AUTO_OFFSET_RESET, ConfigType.STRING, ShareAutoOffsetReset.LATEST.configValue(),
                "The strategy to initialize the share-partition start offset: earliest, latest, or by_duration:<duration>"
                        + " (ISO-8601, PnDTnHnMn.nS, not negative) for the first record at most that long ago."));
        define(new Definition(SHARE_ISOLATION_LEVEL, ConfigType.STRING, IsolationLevel.READ_UNCOMMITTED.toString(),
                "Controls how to read records written transactionally: read_committed delivers only committed"
                        + " transactional records, read_uncommitted every record, aborted ones included."));
    }

    private void defineInt(String name, int atLeast, GroupConfigLimits.Bounded bounds, String documentation) {
        define(new Definition(name, ConfigType.INT, Integer.toString(bounds.defaultValue()), documentation));
        intRules.put(name, new IntRule(atLeast, bounds));
    }

    private void define(Definition definition) {
        definitions.put(definition.name(), definition);
    }

    /** Every group config, in a fixed order. */
    public List<Definition> definitions() {
        return List.copyOf(definitions.values());
    }

    public Optional<Definition> definition(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /**
     * Checks a group's configs as a whole, as Kafka's {@code GroupConfig.validate}: names first, then each
     * value over the defaults, then the bounds and the pairs.
     *
     * @throws MetadataException INVALID_CONFIG with Kafka's message
     */
    public void validate(Map<String, String> configs) {
        for (String name : configs.keySet()) {
            if (!definitions.containsKey(name)) {
                throw invalid("Unknown group config name: " + name);
            }
        }
        Map<String, Integer> ints = new HashMap<>();
        for (Definition definition : definitions.values()) {
            String value = configs.getOrDefault(definition.name(), definition.defaultValue());
            IntRule rule = intRules.get(definition.name());
            if (rule != null) {
                ints.put(definition.name(), parseInt(definition.name(), value, rule.atLeast()));
            } else {
                parseString(definition.name(), value);
            }
        }
        for (String name : List.of(CONSUMER_HEARTBEAT_INTERVAL_MS, CONSUMER_SESSION_TIMEOUT_MS, SHARE_HEARTBEAT_INTERVAL_MS,
                SHARE_SESSION_TIMEOUT_MS, SHARE_RECORD_LOCK_DURATION_MS)) {
            checkBounds(name, ints.get(name), intRules.get(name).bounds());
        }
        checkGreater(ints, CONSUMER_SESSION_TIMEOUT_MS, CONSUMER_HEARTBEAT_INTERVAL_MS);
        checkGreater(ints, SHARE_SESSION_TIMEOUT_MS, SHARE_HEARTBEAT_INTERVAL_MS);
    }

    /** A share group's settings from configs already validated, the defaults where they set nothing. */
    public ShareGroupSettings shareSettings(Map<String, String> configs) {
        return new ShareGroupSettings(
                value(configs, SHARE_AUTO_OFFSET_RESET, ShareAutoOffsetReset::parse),
                value(configs, SHARE_RECORD_LOCK_DURATION_MS, GroupConfigSchema::intValue),
                value(configs, SHARE_ISOLATION_LEVEL, GroupConfigSchema::isolationLevel),
                value(configs, SHARE_SESSION_TIMEOUT_MS, GroupConfigSchema::intValue),
                value(configs, SHARE_HEARTBEAT_INTERVAL_MS, GroupConfigSchema::intValue));
    }

    /** A consumer group's settings from configs already validated, the defaults where they set nothing. */
    public ConsumerGroupSettings consumerSettings(Map<String, String> configs) {
        return new ConsumerGroupSettings(value(configs, CONSUMER_SESSION_TIMEOUT_MS, GroupConfigSchema::intValue),
                value(configs, CONSUMER_HEARTBEAT_INTERVAL_MS, GroupConfigSchema::intValue));
    }

    private <T> T value(Map<String, String> configs, String name, Function<String, T> parser) {
        return parser.apply(configs.getOrDefault(name, definitions.get(name).defaultValue()));
    }

    private static int intValue(String value) {
        return Integer.parseInt(value.trim());
    }

    private static IsolationLevel isolationLevel(String value) {
        return value.trim().equals(IsolationLevel.READ_COMMITTED.toString()) ? IsolationLevel.READ_COMMITTED
                : IsolationLevel.READ_UNCOMMITTED;
    }

    private static int parseInt(String name, String value, int atLeast) {
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw invalid(invalidValue(name, value, "Not a number of type INT"));
        }
        if (parsed < atLeast) {
            throw invalid(invalidValue(name, value, "Value must be at least " + atLeast));
        }
        return parsed;
    }

    private static void parseString(String name, String value) {
        if (name.equals(SHARE_AUTO_OFFSET_RESET)) {
            try {
                ShareAutoOffsetReset.parse(value);
            } catch (IllegalArgumentException e) {
                throw invalid(invalidValue(name, value, e.getMessage()));
            }
        } else if (name.equals(SHARE_ISOLATION_LEVEL)) {
            String trimmed = value.trim();
            if (!trimmed.equals(IsolationLevel.READ_COMMITTED.toString())
                    && !trimmed.equals(IsolationLevel.READ_UNCOMMITTED.toString())) {
                throw invalid(invalidValue(name, value, "String must be one of: read_committed, read_uncommitted"));
            }
        }
    }

    /** Kafka's message, then the bound itself, which Kafka's message leaves out. */
    private static void checkBounds(String name, int value, GroupConfigLimits.Bounded bounds) {
        if (value < bounds.min()) {
            throw invalid(name + " must be greater than or equal to " + bounds.minConfig() + " (" + bounds.min() + ")");
        }
        if (value > bounds.max()) {
            throw invalid(name + " must be less than or equal to " + bounds.maxConfig() + " (" + bounds.max() + ")");
        }
    }

    private static void checkGreater(Map<String, Integer> ints, String sessionTimeout, String heartbeatInterval) {
        if (ints.get(sessionTimeout) <= ints.get(heartbeatInterval)) {
            throw invalid(sessionTimeout + " must be greater than " + heartbeatInterval);
        }
    }

    /** Kafka's {@code ConfigException} message. */
    private static String invalidValue(String name, String value, String why) {
        return "Invalid value " + value + " for configuration " + name + ": " + why;
    }

    private static MetadataException invalid(String message) {
        return new MetadataException(Errors.INVALID_CONFIG, message);
    }
}
