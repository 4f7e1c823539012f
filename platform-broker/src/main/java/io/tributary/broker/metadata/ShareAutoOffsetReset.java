package io.tributary.broker.metadata;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Where a share-partition starts when a share group first consumes it: a group's
 * {@code share.auto.offset.reset} ({@code latest}, {@code earliest} or {@code by_duration:<ISO-8601 duration>},
 * the first offset whose timestamp is at most that long ago). Immutable.
 *
 * @param duration how far back {@link Strategy#BY_DURATION} reaches; zero for the others
 */
public record ShareAutoOffsetReset(Strategy strategy, Duration duration) {

    public enum Strategy {
        LATEST, EARLIEST, BY_DURATION
    }

    public static final ShareAutoOffsetReset LATEST = new ShareAutoOffsetReset(Strategy.LATEST, Duration.ZERO);
    public static final ShareAutoOffsetReset EARLIEST = new ShareAutoOffsetReset(Strategy.EARLIEST, Duration.ZERO);

    private static final String BY_DURATION_PREFIX = "by_duration:";

    public ShareAutoOffsetReset {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || (strategy != Strategy.BY_DURATION && !duration.isZero())) {
            throw new IllegalArgumentException("No " + strategy + " reset with a duration of " + duration);
        }
    }

    public static ShareAutoOffsetReset byDuration(Duration duration) {
        return new ShareAutoOffsetReset(Strategy.BY_DURATION, duration);
    }

    /**
     * Parses a config value as Kafka does: lower case names, a duration Java's {@link Duration#parse} reads,
     * never negative; surrounding blanks are ignored.
     *
     * @throws IllegalArgumentException with Kafka's explanation for any other value
     */
    public static ShareAutoOffsetReset parse(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("latest")) {
            return LATEST;
        }
        if (trimmed.equals("earliest")) {
            return EARLIEST;
        }
        if (trimmed.startsWith(BY_DURATION_PREFIX)) {
            try {
                Duration duration = Duration.parse(trimmed.substring(BY_DURATION_PREFIX.length()));
                if (!duration.isNegative()) {
                    return byDuration(duration);
                }
            } catch (DateTimeParseException e) {
                // Refused below, with the same explanation as any other bad value.
            }
        }
        throw new IllegalArgumentException("Invalid value `" + value + "` for configuration "
                + GroupConfigSchema.SHARE_AUTO_OFFSET_RESET + ". The value must be either 'earliest', 'latest' or of the format "
                + "'by_duration:<PnDTnHnMn.nS>'.");
    }

    /** The config value that gives this strategy. */
    public String configValue() {
        return switch (strategy) {
            case LATEST -> "latest";
            case EARLIEST -> "earliest";
            case BY_DURATION -> BY_DURATION_PREFIX + duration;
        };
    }
}
