package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member of a consumer group on a thread of its own, as a cluster test runs one through failovers:
 * polls, remembers the (integer) values it read per partition, commits after every poll, and carries on
 * through the errors a rebalance or a coordinator on the move brings.
 */
final class CommittingMember {

    final Map<Integer, Set<Integer>> consumed = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> failures = new CopyOnWriteArrayList<>();
    /** What the consumer thread last saw of its assignment and positions, for a failure's message. */
    private volatile String lastSeen = "not polled yet";
    private volatile Set<TopicPartition> assignment = Set.of();
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final ConsumerRebalanceListener listener;
    private Thread thread;

    /**
     * @param protocol  {@code classic} (6 s sessions, 500 ms heartbeats) or {@code consumer} (the broker's settings)
     * @param listener  told of rebalances, or null
     */
    CommittingMember(String bootstrap, String group, String topic, String protocol, ConsumerRebalanceListener listener) {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
        if (protocol.equals("classic")) {
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        this.topic = topic;
        this.listener = listener;
    }

    CommittingMember start() {
        thread = new Thread(this::consume, "group-member");
        thread.start();
        return this;
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    Set<Integer> consumed(int partition) {
        return consumed.getOrDefault(partition, Set.of());
    }

    private void consume() {
        if (listener == null) {
            consumer.subscribe(List.of(topic));
        } else {
            consumer.subscribe(List.of(topic), listener);
        }
        while (running.get()) {
            try {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed.computeIfAbsent(record.partition(), p -> ConcurrentHashMap.newKeySet())
                            .add(Integer.parseInt(record.value()));
                }
                assignment = Set.copyOf(consumer.assignment());
                consumer.commitSync(Duration.ofSeconds(10));
                lastSeen = Instant.now() + " positions " + positions();
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                failures.add(Instant.now() + " " + e);
            }
        }
        consumer.close(Duration.ofSeconds(5));
    }

    private Map<Integer, Long> positions() {
        Map<Integer, Long> positions = new java.util.TreeMap<>();
        consumer.assignment().forEach(tp -> positions.put(tp.partition(), consumer.position(tp, Duration.ofSeconds(5))));
        return positions;
    }

    @Override
    public String toString() {
        Map<Integer, Integer> counts = new java.util.TreeMap<>();
        consumed.forEach((partition, values) -> counts.put(partition, values.size()));
        return "{consumed " + counts + " records by partition, last committed at " + lastSeen + ", " + failures.size()
                + " failures" + (failures.isEmpty() ? "" : ", the last " + failures.subList(Math.max(0, failures.size() - 3),
                        failures.size())) + "}";
    }

    void stop() throws InterruptedException {
        running.set(false);
        consumer.wakeup();
        thread.join(30_000);
        assertThat(thread.isAlive()).as("consumer thread stopped").isFalse();
    }
}
