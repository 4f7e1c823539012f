package io.tributary.broker.cluster;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.reassign.ReassignPartitionsCommand;

/**
 * Kafka's {@code kafka-reassign-partitions}, run in this JVM as an operator runs it: the same
 * arguments, what it prints, and the status it exits with (Kafka's {@link Exit} hook stops it from
 * ending the JVM). What it prints is also copied to the test's own output.
 */
final class ReassignPartitionsTool {

    /** What one run of the tool printed and the status it exited with. */
    record Run(int status, String output) {
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
