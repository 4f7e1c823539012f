package io.tributary.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a service's log as Spring Boot writes it with tracing on ({@code [<trace id>-<span id>]} after the thread),
 * for the lines the sample services write per order ("Placed order ...", "Charged order ...", "... for order ...").
 */
final class TraceLog {

    private static final Pattern ORDER_LINE = Pattern.compile(
            "\\[([0-9a-f]{32})-[0-9a-f]{16}\\] .*(?:Placed order|Charged order|Invoiced order|for order|Order) "
                    + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    private TraceLog() {
    }

    /** The trace ids of each order's lines. */
    static Map<String, Set<String>> traceIdsByOrder(Path log) {
        Map<String, Set<String>> traces = new HashMap<>();
        try (Stream<String> lines = Files.lines(log)) {
            lines.forEach(line -> {
                Matcher matcher = ORDER_LINE.matcher(line);
                if (matcher.find()) {
                    traces.computeIfAbsent(matcher.group(2), id -> new HashSet<>()).add(matcher.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return traces;
    }
}
