package io.tributary.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real broker in its own JVM, started from the test classpath, so that a test can kill it with
 * SIGKILL as an operator's {@code kill -9} or a crash would, and start it again on the same data,
 * Kafka and HTTP ports.
 */
public final class BrokerProcess implements AutoCloseable {

    private final Path dataDir;
    private final Path logFile;
    private final int port;
    /** The HTTP side (admin API, console), on a port of its own so that a test can call it. */
    private final int httpPort;
    private final List<String> extraArgs;
    private Process process;

    private BrokerProcess(Path dataDir, int port, int httpPort, List<String> extraArgs) {
        this.dataDir = dataDir;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
        this.port = port;
        this.httpPort = httpPort;
        this.extraArgs = extraArgs;
    }

    public static BrokerProcess start(Path dataDir, String... args) throws IOException {
        BrokerProcess broker = new BrokerProcess(dataDir, freePort(), freePort(), List.of(args));
        broker.start();
        return broker;
    }

    public synchronized void start() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TributaryBrokerApplication.class.getName());
        command.add("--tributary.broker.data-dir=" + dataDir);
        command.add("--tributary.broker.port=" + port);
        command.add("--tributary.broker.host=127.0.0.1");
        command.add("--server.port=" + httpPort);
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The broker exited with " + process.exitValue() + "; see " + logFile);
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            // A broker that did not come up is ended here: the test that started it never got hold of it to stop it.
            process.destroyForcibly();
            throw e;
        }
    }

    /** SIGKILL: no shutdown hook, no flush, no checkpoint. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The broker did not die");
        }
    }

    /** SIGSTOP: the JVM freezes where it is, as under a long GC pause or a stalled host, sockets open. */
    public synchronized void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: the frozen JVM carries on as if no time had passed. */
    public synchronized void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** The broker JVM's process id, while it runs. */
    public synchronized long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path logFile() {
        return logFile;
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
