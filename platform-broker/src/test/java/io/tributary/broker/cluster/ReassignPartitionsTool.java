package io.tributary.broker.cluster;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.reassign.ReassignPartitionsCommand;

/**
 * Kafka's {@code kafka-reassign-partitions}, run in this JVM as an operator runs it: the same
 * arguments, what it prints, and the status it exits with (Kafka's {@link Exit} hook stops it from
 * ending the JVM). What it prints is also copied to the test's own output.
 */
final class ReassignPartitionsTool {

    private static final Pattern PROPOSED = Pattern.compile("Proposed partition reassignment configuration\\R(\\{.*})");
    private static final Pattern PLANNED = Pattern.compile(
            "\"topic\":\"([^\"]+)\",\"partition\":(\\d+),\"replicas\":\\[([0-9,]+)]");

    /** What one run of the tool printed and the status it exited with. */
    record Run(int status, String output) {

        /** The reassignment a {@code --generate} run proposed, as the JSON an operator saves for {@code --execute}. */
        String proposal() {
            Matcher proposed = PROPOSED.matcher(output);
            if (!proposed.find()) {
                throw new AssertionError("No proposal in " + output);
            }
            return proposed.group(1);
        }
    }

    private static final class Exited extends RuntimeException {
        final int status;

        Exited(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private ReassignPartitionsTool() {
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

    /** Runs the tool with {@code args}; one run at a time, since it prints to the JVM's standard output. */
    static synchronized Run run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStream both = new OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                original.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                captured.write(bytes, offset, length);
                original.write(bytes, offset, length);
            }
        };
        int status = 0;
        Exit.setExitProcedure((code, message) -> {
            throw new Exited(code);
        });
        System.setOut(new PrintStream(both, true, StandardCharsets.UTF_8));
        try {
            ReassignPartitionsCommand.main(args);
        } catch (Exited exited) {
            status = exited.status;
        } finally {
            System.setOut(original);
            Exit.resetExitProcedure();
        }
        return new Run(status, captured.toString(StandardCharsets.UTF_8));
    }
}
