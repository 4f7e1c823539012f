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

/** Three brokers of one cluster, each in a JVM of its own, that a test may kill, freeze and restart. */
final class ProcessCluster implements AutoCloseable {

    private final List<BrokerProcess> brokers = new ArrayList<>();

    /** Starts the three brokers at once: none finishes starting before a quorum of them runs. */
    static ProcessCluster start(Path dir) {
        ProcessCluster cluster = new ProcessCluster();
        int[] raftPorts = IntStream.range(0, 3).map(i -> freePort()).toArray();
        String voters = IntStream.range(0, 3).mapToObj(i -> i + "@127.0.0.1:" + raftPorts[i])
                .collect(Collectors.joining(","));
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int node = i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return BrokerProcess.start(dir.resolve("node-" + node), "--tributary.broker.node-id=" + node,
                            "--tributary.cluster.voters=" + voters, "--tributary.cluster.raft-port=" + raftPorts[node],
                            "--tributary.cluster.broker-session-timeout=3s", "--tributary.cluster.heartbeat-interval=500ms",
                            // A restarted broker takes back its preferred leaderships within a second, not Kafka's 5 minutes.
                            "--tributary.cluster.leader-imbalance-check-interval=1s",
                            "--tributary.broker.replica-lag-time-max=2s", "--spring.main.banner-mode=off");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        for (CompletableFuture<BrokerProcess> broker : starting) {
            cluster.brokers.add(broker.orTimeout(120, TimeUnit.SECONDS).join());
        }
        return cluster;
    }

    BrokerProcess broker(int id) {
        return brokers.get(id);
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

    @Override
    public void close() throws InterruptedException {
        for (BrokerProcess broker : brokers) {
            broker.close();
        }
    }
}
