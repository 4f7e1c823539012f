package io.tributary.broker.compat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Exit;

/**
 * Kafka's own command-line tools, run in this JVM as an operator runs them — {@code kafka-configs}
 * ({@code kafka.admin.ConfigCommand}), {@code kafka-leader-election}, {@code kafka-reassign-partitions},
 * {@code kafka-metadata-quorum}, {@code kafka-transactions} and {@code kafka-share-groups} (kafka-tools) — with
 * what they print captured. A tool that
 * would exit the JVM has its exit status returned instead. One tool runs at a time, since the capture
 * replaces {@link System#out} and {@link System#err}; whatever else prints meanwhile (a broker's log
 * lines) is captured too, and still printed.
 */
public final class KafkaTools {

    /** What a tool run gave: its exit status (0 for success) and what it printed. */
    public record Run(int exitCode, String out, String err) {

        /** Everything it printed, standard output then standard error. */
        public String output() {
            return out + err;
        }
    }

    private KafkaTools() {
    }

    /** {@code kafka-configs.sh ARGS}. */
    public static Run configs(String... args) {
        return run(() -> invoke(Class.forName("kafka.admin.ConfigCommand").getMethod("main", String[].class), args));
    }

    /** {@code kafka-leader-election.sh ARGS}. */
    public static Run leaderElection(String... args) {
        return run(() -> {
            // The entry point that returns its exit status rather than calling System.exit; package-private.
            Method mainNoExit = Class.forName("org.apache.kafka.tools.LeaderElectionCommand")
                    .getDeclaredMethod("mainNoExit", String[].class);
            mainNoExit.setAccessible(true);
            return (Integer) invoke(mainNoExit, args);
        });
    }

    /** {@code kafka-reassign-partitions.sh ARGS}. */
    public static Run reassignPartitions(String... args) {
        return run(() -> {
            org.apache.kafka.tools.reassign.ReassignPartitionsCommand.main(args);
            return 0;
        });
    }

    /** {@code kafka-metadata-quorum.sh ARGS}. */
    public static Run metadataQuorum(String... args) {
        return run(() -> {
            org.apache.kafka.tools.MetadataQuorumCommand.main(args);
            return 0;
        });
    }

    /** {@code kafka-share-groups.sh ARGS}. */
    public static Run shareGroups(String... args) {
        return run(() -> {
            org.apache.kafka.tools.consumer.group.ShareGroupCommand.main(args);
            return 0;
        });
    }

    /** {@code kafka-transactions.sh ARGS}. */
    public static Run transactions(String... args) {
        return run(() -> {
            org.apache.kafka.tools.TransactionsCommand.main(args);
            return 0;
        });
    }

    private interface Tool {
        Object run() throws Exception;
    }

    private static Object invoke(Method method, String[] args) throws Exception {
        try {
            return method.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Thrown in place of the JVM's exit, to end the tool with its status. */
    private static final class ToolExit extends RuntimeException {
        final int status;

        ToolExit(int status) {
            super("exit " + status, null, false, false);
            this.status = status;
        }
    }

    private static synchronized Run run(Tool tool) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, capturedOut), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, capturedErr), true, StandardCharsets.UTF_8));
        Exit.setExitProcedure((status, message) -> {
            throw new ToolExit(status);
        });
        int exitCode;
        try {
            Object result = tool.run();
            exitCode = result instanceof Integer status ? status : 0;
        } catch (ToolExit e) {
            exitCode = e.status;
        } catch (Exception e) {
            throw new IllegalStateException("The tool could not be run", e);
        } finally {
            Exit.resetExitProcedure();
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(exitCode, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
    }

    /** Writes to the original stream and to the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream capture;

        Tee(OutputStream original, ByteArrayOutputStream capture) {
            this.original = original;
            this.capture = capture;
        }

        @Override
        public synchronized void write(int b) {
            capture.write(b);
            try {
                original.write(b);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            capture.write(bytes, offset, length);
            try {
                original.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
