package io.tributary.broker.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.common.utils.Exit;

/**
 * Runs one of Kafka's command-line tools in this JVM as an operator runs it, keeping its exit code and
 * what it printed (brokers of the same JVM may print meanwhile: look for lines, not for the whole text).
 */
final class KafkaTool {

    record Result(int exitCode, String output) {
    }

    private KafkaTool() {
    }

    /** One tool at a time: the exit procedure and the standard streams belong to the whole JVM. */
    static synchronized Result run(Consumer<String[]> main, String... args) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        AtomicInteger exitCode = new AtomicInteger();
        Exit.setExitProcedure((code, message) -> exitCode.set(code));
        PrintStream capture = new PrintStream(printed, true, UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            main.accept(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
            Exit.resetExitProcedure();
        }
        return new Result(exitCode.get(), printed.toString(UTF_8));
    }
}
