package io.tributary.broker.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a killed process wrote before it died is still there to read (MemberFailureTest judges it by that). */
@Timeout(60)
class ProcessKillTest {

    private static final int LINES = 200;

    @Test
    void everyLineAKilledProcessWroteIsReadUpToTheEndOfItsOutput() throws Exception {
        // exec: the shell becomes the sleep, so the killed process is the only one holding the pipe.
        Process process = new ProcessBuilder("sh", "-c", "seq 1 " + LINES + "; exec sleep 60").start();
        try {
            int bytes = IntStream.rangeClosed(1, LINES).map(i -> Integer.toString(i).length() + 1).sum();
            // All of it waits in the pipe, none read yet, as a loaded reader lags behind the writer.
            await().atMost(Duration.ofSeconds(30)).until(() -> process.getInputStream().available() >= bytes);

            ProcessKill.kill(process);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();

            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                List<String> lines = reader.lines().toList();
                assertThat(lines).hasSize(LINES).startsWith("1").endsWith(Integer.toString(LINES));
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
