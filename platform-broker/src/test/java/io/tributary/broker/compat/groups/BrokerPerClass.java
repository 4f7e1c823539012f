package io.tributary.broker.compat.groups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real broker for all the tests of a class, set up for quick group rebalances: no initial
 * rebalance delay, short session timeouts allowed, few {@code __consumer_offsets} partitions. Tests
 * share it, so each uses its own topics and group ids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerPerClass {

    /** The broker settings every group test runs with. */
    static final List<String> FAST_GROUPS = List.of(
            "--tributary.broker.group.initial-rebalance-delay=0ms",
            "--tributary.broker.group.min-session-timeout=500ms",
            "--tributary.broker.group.offsets-topic-num-partitions=3",
            "--logging.level.org.apache.kafka=WARN");

    protected Path dataDir;
    protected RunningBroker broker;
    protected Admin admin;

    /** Extra {@code --key=value} settings of this class's broker. */
    protected List<String> brokerArgs() {
        return List.of();
    }

    @BeforeAll
    void startBroker() throws IOException {
        dataDir = Files.createTempDirectory("tributary-groups-");
        List<String> args = new ArrayList<>(FAST_GROUPS);
        args.addAll(brokerArgs());
        broker = RunningBroker.start(dataDir, args.toArray(String[]::new));
        admin = GroupClients.admin(broker.bootstrapServers());
    }

    @AfterAll
    void stopBroker() throws IOException {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
            deleteRecursively(dataDir);
        }
    }

    protected String bootstrap() {
        return broker.bootstrapServers();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
