package io.tributary.broker.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.tributary.broker.BrokerProcess;

/**
 * Brokers of one cluster, each in a JVM of its own, that a test may kill, freeze and restart: three
 * voters of the metadata quorum, and any further brokers only.
 */
public final class ProcessCluster implements AutoCloseable {

    /** Where each voter runs (host, ports, command prefix) and its Raft port, by node id. */
    public interface Layout {

        BrokerProcess.Placement placement(int node) throws IOException;

        int raftPort(int node);
    }

    private final List<BrokerProcess> brokers = new ArrayList<>();
    /** Each broker's Raft port, by node id. */
    private final List<Integer> raftPorts = new ArrayList<>();
    private final Path dir;
    private final String voters;
    private final List<String> extraArgs;

    private ProcessCluster(Path dir, String voters, List<String> extraArgs) {
        this.dir = dir;
        this.voters = voters;
        this.extraArgs = extraArgs;
    }

    /** Starts the three voters at once: none finishes starting before a quorum of them runs. */
    static ProcessCluster start(Path dir, String... extraArgs) {
        int[] raftPorts = IntStream.range(0, 3).map(i -> freePort()).toArray();
        return start(dir, new Layout() {
            @Override
            public BrokerProcess.Placement placement(int node) throws IOException {
                return BrokerProcess.Placement.loopback();
            }

            @Override
            public int raftPort(int node) {
                return raftPorts[node];
            }
        }, extraArgs);
    }

    /**
     * Starts the three voters at once as {@code layout} places them (in network namespaces of their own,
     * say), with {@code extraArgs} for each.
     */
    public static ProcessCluster start(Path dir, Layout layout, String... extraArgs) {
        List<BrokerProcess.Placement> placements = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try {
                placements.add(layout.placement(i));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ProcessCluster cluster = new ProcessCluster(dir, IntStream.range(0, 3)
                .mapToObj(i -> i + "@" + placements.get(i).host() + ":" + layout.raftPort(i))
                .collect(Collectors.joining(",")), List.of(extraArgs));
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int node = i;
            cluster.raftPorts.add(layout.raftPort(node));
            starting.add(CompletableFuture.supplyAsync(() -> cluster.startBroker(node, placements.get(node),
                    layout.raftPort(node))));
        }
        RuntimeException failure = null;
        for (CompletableFuture<BrokerProcess> broker : starting) {
            try {
                cluster.brokers.add(broker.orTimeout(120, TimeUnit.SECONDS).join());
            } catch (RuntimeException e) {
                failure = e; // the others are still waited for, so that none is left running
            }
        }
        if (failure != null) {
            cluster.close();
            throw failure;
        }
        return cluster;
    }

    /**
     * Starts brokers {@code ids} at once, each on a Raft port of its own: not among the voters, they
     * join as brokers only. The ids must be the next ones, in order.
     */
    void addBrokers(int... ids) {
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != brokers.size() + i) {
                throw new IllegalArgumentException("Broker " + ids[i] + " is not the next one, " + (brokers.size() + i));
            }
            int node = ids[i];
            int raftPort = freePort();
            raftPorts.add(raftPort);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return startBroker(node, BrokerProcess.Placement.loopback(), raftPort);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        RuntimeException failure = null;
        for (CompletableFuture<BrokerProcess> broker : starting) {
            try {
                brokers.add(broker.orTimeout(120, TimeUnit.SECONDS).join());
            } catch (RuntimeException e) {
                failure = e; // the others still join the cluster, so that close() stops them
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private BrokerProcess startBroker(int node, BrokerProcess.Placement placement, int raftPort) {
        List<String> args = new ArrayList<>(List.of("--tributary.broker.node-id=" + node,
                "--tributary.cluster.voters=" + voters, "--tributary.cluster.raft-port=" + raftPort,
                "--tributary.cluster.broker-session-timeout=3s", "--tributary.cluster.heartbeat-interval=500ms",
                // A restarted broker takes back its preferred leaderships within a second, not Kafka's 5 minutes.
                "--tributary.cluster.leader-imbalance-check-interval=1s",
                "--tributary.broker.replica-lag-time-max=2s", "--spring.main.banner-mode=off"));
        args.addAll(extraArgs);
        try {
            return BrokerProcess.start(dir.resolve("node-" + node), placement, args.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BrokerProcess broker(int id) {
        return brokers.get(id);
    }

    int raftPort(int id) {
        return raftPorts.get(id);
    }

    public String bootstrapServers() {
        return brokers.stream().map(BrokerProcess::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The bootstrap servers without {@code id}, for clients that must not wait on a frozen broker. */
    String bootstrapServersExcept(int id) {
        return brokers.stream().filter(b -> b != brokers.get(id)).map(BrokerProcess::bootstrapServers)
                .collect(Collectors.joining(","));
    }

    private static int freePort() {
        return io.tributary.broker.TestPorts.free();
    }

    /**
     * Stops every broker cleanly, all at once: one after the other, the last ones would each wait out
     * their controlled shutdown once too few voters are left to answer it.
     */
    @Override
    public void close() {
        CompletableFuture.allOf(brokers.stream().map(broker -> CompletableFuture.runAsync(() -> {
            try {
                broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).toArray(CompletableFuture[]::new)).join();
    }
}
