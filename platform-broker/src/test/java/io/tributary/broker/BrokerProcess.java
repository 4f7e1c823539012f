package io.tributary.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real broker in its own JVM, started from the test classpath, so that a test can kill it with
 * SIGKILL as an operator's {@code kill -9} or a crash would, and start it again on the same data,
 * Kafka and HTTP ports.
 */
public final class BrokerProcess implements AutoCloseable {

    /**
     * Where a broker runs: the words its {@code java} command is prefixed with ({@code ip netns exec NAME}
     * to run it in a network namespace; they must exec java rather than fork it, so that the process a
     * test signals is the JVM), options for that JVM, the address it binds and is reached at, its
     * Kafka and HTTP ports, and the class whose {@code main} starts it.
     */
    public record Placement(List<String> commandPrefix, List<String> jvmOptions, String host, int port, int httpPort,
            String mainClass) {

        public Placement(List<String> commandPrefix, List<String> jvmOptions, String host, int port, int httpPort) {
            this(commandPrefix, jvmOptions, host, port, httpPort, TributaryBrokerApplication.class.getName());
        }

        /** On the loopback interface, on ports found free. */
        public static Placement loopback() throws IOException {
            return new Placement(List.of(), QUICK_START, "127.0.0.1", freePort(), freePort());
        }

        /** The same place, with the broker started by another {@code main} (a test's) and more JVM options. */
        public Placement startedBy(Class<?> main, List<String> moreJvmOptions) {
            List<String> options = new ArrayList<>(jvmOptions);
            options.addAll(moreJvmOptions);
            return new Placement(commandPrefix, List.copyOf(options), host, port, httpPort, main.getName());
        }
    }

    /**
     * C1 only and one GC thread. On two shared cores, three brokers compiling and collecting in parallel took
     * twice as long to start (a broker restarted after kill -9: 70 s and more), and no test needs peak speed.
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final Path dataDir;
    private final Path logFile;
    private final List<String> commandPrefix;
    private final List<String> jvmOptions;
    private final String mainClass;
    private final String host;
    private final int port;
    /** The HTTP side (admin API, console), on a port of its own so that a test can call it. */
    private final int httpPort;
    private final List<String> extraArgs;
    private Process process;

    private BrokerProcess(Path dataDir, Placement placement, List<String> extraArgs) {
        this.dataDir = dataDir;
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + "-broker.log");
        this.commandPrefix = placement.commandPrefix();
        this.jvmOptions = placement.jvmOptions();
        this.mainClass = placement.mainClass();
        this.host = placement.host();
        this.port = placement.port();
        this.httpPort = placement.httpPort();
        this.extraArgs = extraArgs;
    }

    public static BrokerProcess start(Path dataDir, String... args) throws IOException {
        return start(dataDir, Placement.loopback(), args);
    }

    public static BrokerProcess start(Path dataDir, Placement placement, String... args) throws IOException {
        BrokerProcess broker = new BrokerProcess(dataDir, placement, List.of(args));
        broker.start();
        return broker;
    }

    public synchronized void start() throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("--tributary.broker.data-dir=" + dataDir);
        command.add("--tributary.broker.port=" + port);
        command.add("--tributary.broker.host=" + host);
        command.add("--server.port=" + httpPort);
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        try {
            awaitListening();
        } catch (RuntimeException e) {
            // Never leave a broker behind that the caller has no handle on.
            process.destroyForcibly();
            throw e;
        }
    }

    private void awaitListening() {
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("The broker exited with " + process.exitValue() + "; see " + logFile);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
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

    /** The JVM's process id, for signals a test sends itself; -1 before the first start. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The exit status of a broker that has stopped, by itself or not; empty while it runs or before its start. */
    public synchronized OptionalInt exitStatus() {
        return process == null || process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String host() {
        return host;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String bootstrapServers() {
        return host + ":" + port;
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

    private static int freePort() {
        return TestPorts.free();
    }
}
