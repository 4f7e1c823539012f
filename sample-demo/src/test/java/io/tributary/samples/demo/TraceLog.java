package io.tributary.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a service's log as Spring Boot writes it with tracing on ({@code [<trace id>-<span id>]} after the thread,
 * blank where no trace was current), for the lines the sample services write per order ("Placed order ...",
 * "Charged order ...", "... for order ..."), and which start of the service wrote each.
 */
final class TraceLog {

    private static final String ORDER_ID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})";
    private static final Pattern ORDER_LINE = Pattern.compile(
            "\\[(?:([0-9a-f]{32})-[0-9a-f]{16}| *)\\] .*(?:Placed order|Charged order|Invoiced order|for order|Order) "
                    + ORDER_ID);
    private static final Pattern STARTED = Pattern.compile("Started \\w+Application in ");

    /**
     * One line about an order.
     *
     * @param traceId  the trace id on the line, or {@code null} when the line carries none
     * @param instance which start of the service wrote it: 1 for the first, 2 after a restart, ...
     */
    record OrderLine(String traceId, int instance) {
    }

    private TraceLog() {
    }

    /** The trace ids of each order's lines. */
    static Map<String, Set<String>> traceIdsByOrder(Path log) {
        Map<String, Set<String>> traces = new HashMap<>();
        linesByOrder(log).forEach((order, lines) -> lines.stream().filter(l -> l.traceId() != null)
                .forEach(l -> traces.computeIfAbsent(order, id -> new HashSet<>()).add(l.traceId())));
        return traces;
    }

    /** Each order's lines, with or without a trace id. */
    static Map<String, List<OrderLine>> linesByOrder(Path log) {
        Map<String, List<OrderLine>> lines = new HashMap<>();
        for (Map.Entry<String, OrderLine> line : orderLines(log)) {
            lines.computeIfAbsent(line.getKey(), id -> new ArrayList<>()).add(line.getValue());
        }
        return lines;
    }

    /** The lines about orders in the order they were written, each with its order id. */
    static List<Map.Entry<String, OrderLine>> orderLines(Path log) {
        List<Map.Entry<String, OrderLine>> lines = new ArrayList<>();
        int[] instance = {0};
        try (Stream<String> all = Files.lines(log)) {
            all.forEach(line -> {
                if (STARTED.matcher(line).find()) {
                    instance[0]++;
                }
                Matcher matcher = ORDER_LINE.matcher(line);
                if (matcher.find()) {
                    lines.add(Map.entry(matcher.group(2), new OrderLine(matcher.group(1), Math.max(1, instance[0]))));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
