package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * librdkafka's transactional producer, through Debian's confluent-kafka-python (the python3-confluent-kafka
 * package, which .ci/run installs): one transaction committed, one aborted. kafka-clients' consumers then see
 * the committed records only when read_committed, and both when read_uncommitted.
 */
@Timeout(value = 90, unit = SECONDS)
class LibrdkafkaTransactionsTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String TOPIC = "rdkafka-tx";
    private static final String SCRIPT = """
            import sys
            from confluent_kafka import Producer
            producer = Producer({"bootstrap.servers": sys.argv[1], "transactional.id": "rdkafka-tx"})
            producer.init_transactions(30)
            producer.begin_transaction()
            for i in range(10):
                producer.produce(sys.argv[2], key=b"k", value=("committed-%d" % i).encode(), partition=0)
            producer.commit_transaction(30)
            producer.begin_transaction()
            for i in range(5):
                producer.produce(sys.argv[2], key=b"k", value=("aborted-%d" % i).encode(), partition=0)
            producer.flush(30)
            producer.abort_transaction(30)
            print("done")
            """;

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka")
                .start().waitFor() == 0, "confluent-kafka-python is not installed (apt-get install -y python3-confluent-kafka)");
        broker = RunningBroker.start(dataDir.resolve("broker"));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopic(admin, TOPIC, 1, Map.of());
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readCommittedConsumersSeeTheCommittedTransactionOfLibrdkafkaOnly() throws Exception {
        Path script = dataDir.resolve("transactions.py");
        Files.writeString(script, SCRIPT);
        Process python = new ProcessBuilder(PYTHON.toString(), script.toString(), broker.bootstrapServers(), TOPIC)
                .redirectErrorStream(true).start();
        assertThat(python.waitFor(60, SECONDS)).as("the script finished").isTrue();
        String output = new String(python.getInputStream().readAllBytes(), UTF_8);
        assertThat(python.exitValue()).as(output).isZero();

        assertThat(values("read_committed")).containsExactly("committed-0", "committed-1", "committed-2", "committed-3",
                "committed-4", "committed-5", "committed-6", "committed-7", "committed-8", "committed-9");
        assertThat(values("read_uncommitted")).hasSize(15).contains("aborted-0", "aborted-4");
    }

    private static List<String> values(String isolation) {
        try (var consumer = Clients.consumer(broker.bootstrapServers(), Map.of("isolation.level", isolation))) {
            var tp = new org.apache.kafka.common.TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            return Clients.readToEnd(consumer).stream().map(ConsumerRecord::value).map(v -> new String(v, UTF_8)).toList();
        }
    }
}
