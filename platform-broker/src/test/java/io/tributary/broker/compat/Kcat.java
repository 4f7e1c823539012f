package io.tributary.broker.compat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs kcat (librdkafka's command-line client) as a separate process with a time limit: stdin
 * from a file, stdout and stderr into files, so that no pipe can fill up and block it.
 */
final class Kcat {

    private static final Path USUAL_PLACE = Path.of("/usr/bin/kcat");
    private static final AtomicInteger runs = new AtomicInteger();

    /** What a run of kcat printed, and how it exited. */
    record Result(int exitCode, String stdout, String stderr, List<String> command) {

        Result assertSucceeded() {
            if (exitCode != 0) {
                throw new AssertionError("kcat exited with " + exitCode + ": " + command + "\nstdout:\n" + stdout
                        + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    private final Path binary;
    private final Path workDir;

    private Kcat(Path binary, Path workDir) {
        this.binary = binary;
        this.workDir = workDir;
    }

    /** kcat at /usr/bin/kcat or else on the PATH, if installed. */
    static Optional<Path> find() {
        if (Files.isExecutable(USUAL_PLACE)) {
            return Optional.of(USUAL_PLACE);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, "kcat");
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    static Kcat at(Path binary, Path workDir) {
        return new Kcat(binary, workDir);
    }

    /** The version of the librdkafka this kcat is built with, as {@code kcat -V} prints it. */
    Runtime.Version librdkafkaVersion() {
        Result version = run(Duration.ofSeconds(10), "", "-V");
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("librdkafka (\\d+\\.\\d+\\.\\d+)")
                .matcher(version.stdout() + version.stderr());
        if (!matcher.find()) {
            throw new AssertionError("kcat -V names no librdkafka version:\n" + version.stdout() + version.stderr());
        }
        return Runtime.Version.parse(matcher.group(1));
    }

    /** Runs kcat with {@code args}, feeding it {@code stdin}; kills it if it runs longer than {@code timeout}. */
    Result run(Duration timeout, String stdin, String... args) {
        int run = runs.incrementAndGet();
        Path in = workDir.resolve("kcat-" + run + ".in");
        Path out = workDir.resolve("kcat-" + run + ".out");
        Path err = workDir.resolve("kcat-" + run + ".err");
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Files.writeString(in, stdin, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("kcat did not finish within " + timeout + ": " + command + "\nstdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
