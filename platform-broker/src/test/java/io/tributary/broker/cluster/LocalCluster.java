package io.tributary.broker.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.tributary.broker.TributaryBrokerApplication;
import io.tributary.broker.cluster.raft.RaftMetadataQuorum;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Brokers of one cluster in this JVM, each the real Spring Boot application with its own data
 * directory, Kafka port and Raft port on loopback; every one can be stopped and started again.
 * Public for the benchmarks in {@code cluster.bench}.
 */
public final class LocalCluster implements AutoCloseable {

    /** One broker of the cluster. */
    static final class Node {
        final int id;
        final int kafkaPort;
        /** The HTTP port (admin API, console), or 0 for a broker without a web server. */
        final int httpPort;
        final Path dataDir;
        private final List<String> args;
        private volatile ConfigurableApplicationContext context;
        /** Counted down once the application's logging is set up (it is prepared). */
        private final CountDownLatch prepared = new CountDownLatch(1);

        Node(int id, int kafkaPort, int httpPort, Path dataDir, List<String> args) {
            this.id = id;
            this.kafkaPort = kafkaPort;
            this.httpPort = httpPort;
            this.dataDir = dataDir;
            this.args = args;
        }

        synchronized void start() {
            context = new SpringApplicationBuilder(TributaryBrokerApplication.class)
                    .web(httpPort > 0 ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                    .listeners((ApplicationListener<ApplicationPreparedEvent>) event -> prepared.countDown())
                    .run(args.toArray(String[]::new));
        }

        synchronized void stop() {
            if (context != null) {
                SpringApplication.exit(context);
                context = null;
            }
        }

        boolean isRunning() {
            return context != null;
        }

        String bootstrapServers() {
            return "127.0.0.1:" + kafkaPort;
        }

        /** The port of this node's Raft endpoint. */
        int raftPort() {
            String prefix = "--tributary.cluster.raft-port=";
            return args.stream().filter(arg -> arg.startsWith(prefix)).map(arg -> Integer.parseInt(arg.substring(prefix.length())))
                    .reduce((first, last) -> last).orElseThrow();
        }

        Path raftDir() {
            return context.getBean(RaftMetadataQuorum.class).raftDir();
        }

        MetadataImage image() {
            return context.getBean(RaftMetadataQuorum.class).image();
        }

        io.tributary.broker.partition.PartitionManager partitions() {
            return context.getBean(io.tributary.broker.partition.PartitionManager.class);
        }

        <T> T bean(Class<T> type) {
            return context.getBean(type);
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private Path dir;
    private String voters;
    /** The settings every node of this cluster was started with, its own aside. */
    private List<String> commonArgs = List.of();

    /** Starts {@code size} brokers at once: none can finish starting before a quorum of them runs. */
    public static LocalCluster start(Path dir, int size, String... extraArgs) {
        return start(dir, size, false, extraArgs);
    }

    /** The same, each broker with its HTTP side (admin API, console) on a fixed free port. */
    static LocalCluster startWithHttp(Path dir, int size, String... extraArgs) {
        return start(dir, size, true, extraArgs);
    }

    /**
     * The same, with settings of each broker's own: {@code perNode} is given a broker's id and its Kafka
     * port (for listeners bound to it), and returns that broker's extra {@code --key=value} settings.
     */
    static LocalCluster start(Path dir, int size, java.util.function.BiFunction<Integer, Integer, List<String>> perNode,
            String... extraArgs) {
        return start(dir, size, false, perNode, extraArgs);
    }

    private static LocalCluster start(Path dir, int size, boolean http, String... extraArgs) {
        return start(dir, size, http, (id, port) -> List.of(), extraArgs);
    }

    private static LocalCluster start(Path dir, int size, boolean http,
            java.util.function.BiFunction<Integer, Integer, List<String>> perNode, String... extraArgs) {
        LocalCluster cluster = new LocalCluster();
        int[] raftPorts = new int[size];
        int[] kafkaPorts = new int[size];
        for (int i = 0; i < size; i++) {
            raftPorts[i] = freePort();
            kafkaPorts[i] = freePort();
        }
        String voters = java.util.stream.IntStream.range(0, size).mapToObj(i -> i + "@127.0.0.1:" + raftPorts[i])
                .collect(Collectors.joining(","));
        cluster.dir = dir;
        cluster.voters = voters;
        cluster.commonArgs = List.of(extraArgs);
        for (int i = 0; i < size; i++) {
            List<String> args = nodeArgs(i, dir, kafkaPorts[i], raftPorts[i], voters);
            int httpPort = http ? freePort() : 0;
            if (http) {
                args.add("--server.port=" + httpPort);
            }
            args.addAll(List.of(extraArgs));
            args.addAll(perNode.apply(i, kafkaPorts[i]));
            cluster.nodes.add(new Node(i, kafkaPorts[i], httpPort, dir.resolve("node-" + i), args));
        }
        // Started one after the other up to the point their logging is set up, which Spring Boot does
        // for the whole JVM and does not survive being done by three applications at once.
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (Node node : cluster.nodes) {
            CompletableFuture<Void> start = CompletableFuture.runAsync(node::start);
            starting.add(start);
            CompletableFuture.anyOf(start, CompletableFuture.runAsync(() -> awaitPrepared(node)))
                    .orTimeout(60, TimeUnit.SECONDS).join();
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).orTimeout(90, TimeUnit.SECONDS).join();
        return cluster;
    }

    private static List<String> nodeArgs(int id, Path dir, int kafkaPort, int raftPort, String voters) {
        return new ArrayList<>(List.of(
                "--tributary.broker.node-id=" + id,
                "--tributary.broker.data-dir=" + dir.resolve("node-" + id),
                "--tributary.broker.port=" + kafkaPort,
                "--tributary.broker.host=127.0.0.1",
                "--tributary.cluster.voters=" + voters,
                "--tributary.cluster.raft-port=" + raftPort,
                "--tributary.cluster.broker-session-timeout=3s",
                "--tributary.cluster.heartbeat-interval=500ms",
                // A restarted broker takes back its preferred leaderships within a second, not Kafka's 5 minutes.
                "--tributary.cluster.leader-imbalance-check-interval=1s",
                "--spring.main.banner-mode=off"));
    }

    /**
     * Starts one more node, {@code id}, on a Raft port of its own, with the cluster's voters as they were
     * configured at the start: not among them, it joins as a broker only.
     */
    Node addNode(int id, String... extraArgs) {
        List<String> args = nodeArgs(id, dir, freePort(), freePort(), voters);
        args.addAll(commonArgs);
        args.addAll(List.of(extraArgs));
        int kafkaPort = Integer.parseInt(args.get(2).substring(args.get(2).indexOf('=') + 1));
        Node node = new Node(id, kafkaPort, 0, dir.resolve("node-" + id), args);
        while (nodes.size() <= id) {
            nodes.add(null);
        }
        nodes.set(id, node);
        CompletableFuture.runAsync(node::start).orTimeout(90, TimeUnit.SECONDS).join();
        return node;
    }

    private static void awaitPrepared(Node node) {
        try {
            node.prepared.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Node node(int id) {
        return nodes.get(id);
    }

    public String bootstrapServers() {
        return nodes.stream().filter(n -> n != null && n.isRunning()).map(Node::bootstrapServers)
                .collect(Collectors.joining(","));
    }

    private static int freePort() {
        return io.tributary.broker.TestPorts.free();
    }

    @Override
    public void close() {
        nodes.stream().filter(java.util.Objects::nonNull).forEach(Node::stop);
    }
}
