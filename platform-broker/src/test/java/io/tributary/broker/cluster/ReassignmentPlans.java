package io.tributary.broker.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;

/** What {@code kafka-reassign-partitions} prints and reads: its proposals and reassignment JSON files. */
final class ReassignmentPlans {

    private static final Pattern PROPOSED = Pattern.compile("Proposed partition reassignment configuration\\R(\\{.*})");
    private static final Pattern PLANNED = Pattern.compile(
            "\"topic\":\"([^\"]+)\",\"partition\":(\\d+),\"replicas\":\\[([0-9,]+)]");

    private ReassignmentPlans() {
    }

    /** The reassignment a {@code --generate} run proposed, as the JSON an operator saves for {@code --execute}. */
    static String proposal(String output) {
        Matcher proposed = PROPOSED.matcher(output);
        if (!proposed.find()) {
            throw new AssertionError("No proposal in " + output);
        }
        return proposed.group(1);
    }

    /** The replicas a reassignment JSON file, as the tool writes it, gives each partition. */
    static Map<TopicPartition, List<Integer>> replicas(String plan) {
        Map<TopicPartition, List<Integer>> replicas = new HashMap<>();
        Matcher entry = PLANNED.matcher(plan);
        while (entry.find()) {
            replicas.put(new TopicPartition(entry.group(1), Integer.parseInt(entry.group(2))),
                    Stream.of(entry.group(3).split(",")).map(Integer::valueOf).toList());
        }
        if (replicas.isEmpty()) {
            throw new AssertionError("No partition in " + plan);
        }
        return replicas;
    }
}
