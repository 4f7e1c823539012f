package io.tributary.samples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One part of the stack, an executable jar run by its own JVM with its output in a log file, and the
 * Actuator health URL that says when it is ready.
 */
final class JavaProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final List<String> args;
    private final URI health;
    private final Path log;
    private Process process;

    JavaProcess(String name, Path jar, List<String> args, int httpPort, Path logDir) {
        this(name, jar, args, httpPort, "/actuator/health", logDir);
    }

    /** @param healthPath where Actuator answers without credentials */
    JavaProcess(String name, Path jar, List<String> args, int httpPort, String healthPath, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.args = List.copyOf(args);
        this.health = URI.create("http://127.0.0.1:" + httpPort + healthPath);
        this.log = logDir.resolve(name + ".log");
    }

    synchronized void start() {
        if (!jar.toFile().isFile()) {
            throw new IllegalStateException(jar + " is missing: build it first with ./mvnw package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Five JVMs share the machine: small heaps, and no JIT threads fighting over two cores at start-up.
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    /** Waits until Actuator says UP; fails early, pointing at the log, if the process dies. */
    void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process current = current();
            if (!current.isAlive()) {
                throw new IllegalStateException(name + " exited with " + current.exitValue() + "; see " + log);
            }
            if (isUp()) {
                return;
            }
            try {
                current.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout + "; see " + log);
    }

    private boolean isUp() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A graceful stop (SIGTERM: Spring closes its context, listeners leave their groups), forced after 30 s. */
    synchronized void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private synchronized Process current() {
        return process;
    }

    String name() {
        return name;
    }

    /** The process's output, every start of it appended. */
    Path log() {
        return log;
    }
}
