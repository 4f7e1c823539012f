package io.tributary.broker.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
final class ProcessCluster implements AutoCloseable {

    private final List<BrokerProcess> brokers = new ArrayList<>();
    /** Each broker's Raft port, by node id. */
    private final List<Integer> raftPorts = new ArrayList<>();
    private final Path dir;
    private final String voters;

    private ProcessCluster(Path dir, String voters) {
        this.dir = dir;
        this.voters = voters;
    }

    /** Starts the three voters at once: none finishes starting before a quorum of them runs. */
    static ProcessCluster start(Path dir) {
        int[] raftPorts = IntStream.range(0, 3).map(i -> freePort()).toArray();
        ProcessCluster cluster = new ProcessCluster(dir, IntStream.range(0, 3)
                .mapToObj(i -> i + "@127.0.0.1:" + raftPorts[i]).collect(Collectors.joining(",")));
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int node = i;
            cluster.raftPorts.add(raftPorts[node]);
            starting.add(CompletableFuture.supplyAsync(() -> cluster.startBroker(node, raftPorts[node])));
        }
        RuntimeException failure = null;
        for (CompletableFuture<BrokerProcess> broker : starting) {
            try {
                cluster.brokers.add(broker.orTimeout(120, TimeUnit.SECONDS).join());
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            cluster.close(); // the caller never gets the cluster: stop the brokers that did start
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
            starting.add(CompletableFuture.supplyAsync(() -> startBroker(node, raftPort)));
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

    private BrokerProcess startBroker(int node, int raftPort) {
        try {
            return BrokerProcess.start(dir.resolve("node-" + node), "--tributary.broker.node-id=" + node,
                    "--tributary.cluster.voters=" + voters, "--tributary.cluster.raft-port=" + raftPort,
                    "--tributary.cluster.broker-session-timeout=3s", "--tributary.cluster.heartbeat-interval=500ms",
                    // A restarted broker takes back its preferred leaderships within a second, not Kafka's 5 minutes.
                    "--tributary.cluster.leader-imbalance-check-interval=1s",
                    "--tributary.broker.replica-lag-time-max=2s", "--spring.main.banner-mode=off");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BrokerProcess broker(int id) {
        return brokers.get(id);
    }

    int raftPort(int id) {
        return raftPorts.get(id);
    }

    String bootstrapServers() {
        return brokers.stream().map(BrokerProcess::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The bootstrap servers without {@code id}, for clients that must not wait on a frozen broker. */
    String bootstrapServersExcept(int id) {
        return brokers.stream().filter(b -> b != brokers.get(id)).map(BrokerProcess::bootstrapServers)
                .collect(Collectors.joining(","));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
