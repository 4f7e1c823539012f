package io.tributary.broker.compat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.tributary.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka Streams application (the kafka-streams version Spring Boot's BOM manages) with
 * {@code processing.guarantee=exactly_once_v2}: revenue per customer, summed from order events into a
 * state store with a changelog, written to an output topic. The broker, in a JVM of its own, is
 * killed -9 while the application works through the first half of the orders, and started again. With the store's cache off every order emits one update, so read_committed, each customer's
 * updates must be exactly the running sums of its orders: an order counted twice, or lost, or an
 * aborted update shown, would break the sequence.
 */
@Timeout(value = 180, unit = SECONDS)
class StreamsExactlyOnceTest {

    private static final int CUSTOMERS = 10;
    private static final int ORDERS = 400;

    @TempDir
    Path dataDir;

    @TempDir
    Path stateDir;

    private BrokerProcess broker;
    private KafkaStreams streams;

    @AfterEach
    void stop() throws InterruptedException {
        if (streams != null) {
            streams.close(Duration.ofSeconds(10));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void revenuePerCustomerIsExactlyTheRunningSumOfItsOrdersAcrossABrokerKill() throws Exception {
        broker = BrokerProcess.start(dataDir.resolve("broker"));
        try (Admin admin = Clients.admin(broker.bootstrapServers())) {
            Clients.createTopic(admin, "orders", 3, Map.of());
            Clients.createTopic(admin, "revenue", 3, Map.of());
        }
        streams = revenueApplication();
        streams.start();

        Map<String, List<Long>> expected = new HashMap<>();
        sendOrders(0, ORDERS / 2, expected);
        awaitRevenue(ORDERS / 8);

        broker.kill();
        broker.start();
        sendOrders(ORDERS / 2, ORDERS, expected);

        Map<String, List<Long>> updates = awaitRevenue(ORDERS);
        assertThat(updates).isEqualTo(expected);
        assertThat(streams.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
    }

    private KafkaStreams revenueApplication() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.Long()))
                .groupByKey()
                .reduce(Long::sum)
                .toStream()
                .to("revenue", Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "revenue-per-customer");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        return new KafkaStreams(builder.build(), props);
    }

    /** Orders {@code from} to {@code to}: customer i % 10 pays i % 7 + 1; the expected running sums grow with them. */
    private void sendOrders(int from, int to, Map<String, List<Long>> expected) throws Exception {
        try (KafkaProducer<String, Long> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "delivery.timeout.ms", 60_000), new StringSerializer(), new LongSerializer())) {
            for (int i = from; i < to; i++) {
                String customer = "customer-" + (i % CUSTOMERS);
                long amount = i % 7 + 1;
                producer.send(new ProducerRecord<>("orders", customer, amount));
                List<Long> sums = expected.computeIfAbsent(customer, c -> new ArrayList<>());
                sums.add((sums.isEmpty() ? 0 : sums.get(sums.size() - 1)) + amount);
            }
            producer.flush();
        }
    }

    /** Reads the whole output, read_committed, until it holds {@code count} updates; each customer's in order. */
    private Map<String, List<Long>> awaitRevenue(int count) {
        Map<String, List<Long>> updates = new HashMap<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            updates.clear();
            try (KafkaConsumer<String, Long> reader = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "isolation.level", "read_committed", "enable.auto.commit", false), new StringDeserializer(),
                    new LongDeserializer())) {
                List<org.apache.kafka.common.TopicPartition> partitions = Clients.partitions("revenue", 3);
                reader.assign(partitions);
                reader.seekToBeginning(partitions);
                Map<org.apache.kafka.common.TopicPartition, Long> ends = reader.endOffsets(partitions);
                long deadline = System.nanoTime() + SECONDS.toNanos(10);
                while (partitions.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, Long> record : reader.poll(Duration.ofMillis(200))) {
                        updates.computeIfAbsent(record.key(), c -> new ArrayList<>()).add(record.value());
                    }
                }
            }
            return updates.values().stream().mapToInt(List::size).sum() >= count;
        });
        return updates;
    }
}
