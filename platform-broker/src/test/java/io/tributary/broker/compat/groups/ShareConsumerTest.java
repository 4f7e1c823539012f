package io.tributary.broker.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kafka-clients 4.1's {@code KafkaShareConsumer} on share groups (KIP-932, queues): many consumers share
 * the records of a partition, each record is acknowledged once, released records come back with a higher
 * delivery count, rejected ones and those past the delivery limit are archived, what a killed consumer
 * held comes back once its locks run out, and what was acknowledged stays so across a broker restart.
 */
@Timeout(120)
class ShareConsumerTest extends BrokerPerClass {

    @Override
    protected List<String> brokerArgs() {
        return List.of("--tributary.broker.share.delivery-count-limit=3",
                "--tributary.broker.share.min-record-lock-duration=1s",
                "--tributary.broker.share.state-topic-partitions=3",
                "--tributary.broker.group.share-heartbeat-interval=500ms");
    }

    /** A record's place: partition and offset. */
    private record Place(int partition, long offset) {
        static Place of(ConsumerRecord<?, ?> record) {
            return new Place(record.partition(), record.offset());
        }
    }

    @Test
    void eightConsumersShareTwoPartitionsAndEveryRecordIsAcknowledgedOnce() throws Exception {
        String topic = "share-work";
        String group = "share-workers";
        createTopic(topic, 2);
        startAtEarliest(group);
        int total = 4_000;
        Map<Place, List<String>> receivedBy = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String name = "worker-" + i;
            Thread worker = new Thread(() -> {
                try (KafkaShareConsumer<String, String> consumer = consumer(group, Map.of("max.poll.records", 20))) {
                    consumer.subscribe(List.of(topic));
                    while (!stop.get()) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            receivedBy.computeIfAbsent(Place.of(record), p -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                    .add(name);
                        }
                    }
                    consumer.commitSync();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, name);
            worker.start();
            workers.add(worker);
        }
        // Every member is in before the work comes, so that each has a fair chance at it.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.describeShareGroups(List.of(group)).all().get()
                .get(group).members().size() == 8);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
                if (i % 50 == 0) {
                    producer.flush(); // many small batches, so that every consumer finds some to take
                }
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> receivedBy.size() == total || failure.get() != null);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join(30_000);
        }

        assertThat(failure.get()).isNull();
        assertThat(receivedBy).hasSize(total);
        assertThat(receivedBy.values()).allSatisfy(names -> assertThat(names).hasSize(1));
        Set<String> working = new java.util.HashSet<>();
        receivedBy.values().forEach(working::addAll);
        assertThat(working).as("consumers that received work").hasSize(8);
    }

    @Test
    void releasedRecordsComeBackAndRejectedOrOverDeliveredOnesAreArchived() throws Exception {
        String topic = "share-release";
        String group = "share-release";
        createTopic(topic, 1);
        startAtEarliest(group);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get();
            }
        }
        Map<Long, List<Short>> deliveries = new HashMap<>();
        try (KafkaShareConsumer<String, String> consumer = consumer(group, Map.of("share.acknowledgement.mode", "explicit"))) {
            consumer.subscribe(List.of(topic));
            // Offset 0 accepted, 1 rejected, 2 released until the limit (3) archives it.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    deliveries.computeIfAbsent(record.offset(), o -> new ArrayList<>()).add(record.deliveryCount().orElseThrow());
                    AcknowledgeType type = switch ((int) record.offset()) {
                        case 0 -> AcknowledgeType.ACCEPT;
                        case 1 -> AcknowledgeType.REJECT;
                        default -> AcknowledgeType.RELEASE;
                    };
                    consumer.acknowledge(record, type);
                }
                consumer.commitSync();
                return deliveries.getOrDefault(2L, List.of()).size() >= 3;
            });
            // Nothing more comes: every record is done.
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < until) {
                ConsumerRecords<String, String> more = consumer.poll(Duration.ofMillis(200));
                more.forEach(record -> deliveries.computeIfAbsent(record.offset(), o -> new ArrayList<>()).add((short) -1));
            }
        }
        assertThat(deliveries).containsEntry(0L, List.of((short) 1)).containsEntry(1L, List.of((short) 1))
                .containsEntry(2L, List.of((short) 1, (short) 2, (short) 3));
    }

    @Test
    void acknowledgedRecordsStayDoneAcrossABrokerRestart() throws Exception {
        String topic = "share-restart";
        String group = "share-restart";
        createTopic(topic, 1);
        startAtEarliest(group);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
        }
        List<Long> accepted = new ArrayList<>();
        try (KafkaShareConsumer<String, String> consumer = consumer(group, Map.of("share.acknowledgement.mode", "explicit",
                "max.poll.records", 10))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    // The first 40 are processed; the rest go back to the queue.
                    boolean done = record.offset() < 40;
                    consumer.acknowledge(record, done ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
                    if (done) {
                        accepted.add(record.offset());
                    }
                }
                consumer.commitSync();
                return accepted.size() == 40;
            });
        }
        broker.stop();
        broker.start();
        admin.close();
        admin = GroupClients.admin(broker.bootstrapServers());

        List<Long> afterRestart = new ArrayList<>();
        try (KafkaShareConsumer<String, String> consumer = consumer(group, Map.of())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> afterRestart.add(record.offset()));
                return afterRestart.size() >= 60;
            });
        }
        assertThat(afterRestart).doesNotContainAnyElementsOf(accepted).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void recordsAKilledConsumerHeldAreDeliveredAgainOnceTheirLocksRunOut() throws Exception {
        String topic = "share-killed";
        String group = "share-killed";
        createTopic(topic, 1);
        startAtEarliest(group);
        setGroupConfig(group, "share.record.lock.duration.ms", "2000");
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process doomed = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), KilledShareConsumerMain.class.getName(), bootstrap(), group, topic)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<Long> held = ConcurrentHashMap.newKeySet();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(doomed.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("@@R ")) {
                // start-up noise
            }
            assertThat(line).as("the doomed consumer's first record").isNotNull();
            held.add(Long.parseLong(line.split(" ")[2]));
            while (lines.ready() && (line = lines.readLine()) != null) {
                held.add(Long.parseLong(line.split(" ")[2]));
            }
        } finally {
            ProcessKill.kill(doomed);
            doomed.waitFor(10, TimeUnit.SECONDS);
        }

        Map<Long, Short> survivorGot = new ConcurrentHashMap<>();
        try (KafkaShareConsumer<String, String> survivor = consumer(group, Map.of())) {
            survivor.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                survivor.poll(Duration.ofMillis(200))
                        .forEach(record -> survivorGot.put(record.offset(), record.deliveryCount().orElseThrow()));
                return survivorGot.size() == 20;
            });
        }
        // What the dead consumer held came back, on its second delivery, once its locks ran out.
        assertThat(held).isNotEmpty();
        held.forEach(offset -> assertThat(survivorGot.get(offset)).as("delivery count of %d", offset).isEqualTo((short) 2));
    }

    private void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    /** The group reads from the start of the log (Kafka's share groups start at the latest offset by default). */
    private void startAtEarliest(String group) throws Exception {
        setGroupConfig(group, "share.auto.offset.reset", "earliest");
    }

    private void setGroupConfig(String group, String name, String value) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry(name, value),
                AlterConfigOp.OpType.SET)))).all().get();
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap(), "linger.ms", 5),
                new StringSerializer(), new StringSerializer());
    }

    private KafkaShareConsumer<String, String> consumer(String group, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put("bootstrap.servers", bootstrap());
        config.put("group.id", group);
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
