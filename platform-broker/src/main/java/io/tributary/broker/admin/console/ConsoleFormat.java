package io.tributary.broker.admin.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the console writes figures: sizes in binary units, rates per second, times in UTC with
 * milliseconds, durations in the largest sensible unit, and JSON values indented. Templates call it
 * as {@code ${@consoleFormat.bytes(size)}}.
 */
public final class ConsoleFormat {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** Indents without changing a number as written: 42.00 stays 42.00 (an amount), big integers stay exact. */
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    public String bytes(long bytes) {
        if (bytes < 0) {
            return "—";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    public String bytesRate(double bytesPerSecond) {
        return bytes(Math.round(bytesPerSecond)) + "/s";
    }

    public String rate(double perSecond) {
        if (perSecond == 0) {
            return "0/s";
        }
        return perSecond >= 100 ? String.format(Locale.ROOT, "%,.0f/s", perSecond)
                : String.format(Locale.ROOT, "%.1f/s", perSecond);
    }

    public String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
    }

    public String time(long epochMillis) {
        return epochMillis < 0 ? "—" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A duration such as {@code 850 ms}, {@code 2.4 s}, {@code 3 min 5 s}. */
    public String duration(long millis) {
        if (millis < 0) {
            return "";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 59_950) { // what would round to 60.0 s reads as 1 min 0 s
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.max(60, millis / 1000);
        if (seconds < 3600) {
            return (seconds / 60) + " min " + (seconds % 60) + " s";
        }
        return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
    }

    /** The text indented when it is a JSON object or array, else as it is. */
    public String pretty(String text) {
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return text;
        }
        try {
            JsonNode node = PRETTY.readTree(trimmed);
            return PRETTY.writeValueAsString(node);
        } catch (JacksonException e) {
            return text;
        }
    }
}
