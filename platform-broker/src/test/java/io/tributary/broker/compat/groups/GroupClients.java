package io.tributary.broker.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * kafka-clients set up for group tests: consumers that notice rebalances quickly (short heartbeat
 * interval, bounded rebalance timeout) and commit by hand, producers, Admin, and the bookkeeping
 * that checks every record was seen.
 */
final class GroupClients {

    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    /** TopicPartition ordering by topic, then partition. */
    static final Comparator<TopicPartition> TP_ORDER = Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private GroupClients() {
    }

    /** Consumer settings: earliest, manual commits, 6 s sessions, 200 ms heartbeats, 20 s rebalance timeout. */
    static Map<String, Object> consumerConfig(String bootstrap, String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("group.id", groupId);
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", false);
        config.put("session.timeout.ms", 6_000);
        config.put("heartbeat.interval.ms", 200);
        config.put("max.poll.interval.ms", 20_000);
        config.put("fetch.max.wait.ms", 100);
        config.put("default.api.timeout.ms", 15_000);
        return config;
    }

    static KafkaConsumer<String, String> consumer(String bootstrap, String groupId, Map<String, Object> overrides) {
        Map<String, Object> config = consumerConfig(bootstrap, groupId);
        config.putAll(overrides);
        if ("consumer".equals(config.get("group.protocol"))) {
            // The consumer protocol's sessions and heartbeats are the broker's settings; the client refuses these.
            config.remove("session.timeout.ms");
            config.remove("heartbeat.interval.ms");
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("linger.ms", 1);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms",
                (int) ADMIN_TIMEOUT.toMillis(), "request.timeout.ms", 10_000));
    }

    static void createTopic(Admin admin, String topic, int partitions) {
        get(admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all());
    }

    /**
     * Sends {@code perPartition} records to each partition, valued {@code topic/partition/sequence}
     * with sequences from {@code fromSequence} on (the idempotent producer keeps sequence = offset
     * when each partition's sequences start at its end offset); waits for the acks.
     */
    static void produce(KafkaProducer<String, String> producer, String topic, int partitions, int fromSequence,
            int perPartition) {
        for (int i = fromSequence; i < fromSequence + perPartition; i++) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, null, topic + "/" + p + "/" + i));
            }
        }
        producer.flush();
    }

    /** The end offset of each of the topic's partitions. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new TreeMap<>(TP_ORDER);
        get(admin.listOffsets(request).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The group's committed offsets, as Admin reads them. */
    static Map<TopicPartition, Long> committed(Admin admin, String groupId) {
        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> result = new TreeMap<>(TP_ORDER);
        offsets.forEach((tp, om) -> {
            if (om != null) {
                result.put(tp, om.offset());
            }
        });
        return result;
    }

    static ConsumerGroupDescription describe(Admin admin, String groupId) {
        return get(admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId));
    }

    /** Offsets seen, per partition, sorted; duplicates collapse. */
    static Map<TopicPartition, Set<Long>> offsetsByPartition(Collection<? extends ConsumerRecord<?, ?>> records) {
        Map<TopicPartition, Set<Long>> seen = new TreeMap<>(TP_ORDER);
        for (ConsumerRecord<?, ?> record : records) {
            seen.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), tp -> new TreeSet<>()).add(record.offset());
        }
        return seen;
    }

    /** Asserts that the records cover every offset below each end offset: nothing skipped. */
    static void assertNoGaps(Collection<? extends ConsumerRecord<?, ?>> records, Map<TopicPartition, Long> endOffsets) {
        Map<TopicPartition, Set<Long>> seen = offsetsByPartition(records);
        endOffsets.forEach((tp, end) -> {
            Set<Long> offsets = seen.getOrDefault(tp, Set.of());
            Set<Long> missing = new TreeSet<>();
            for (long o = 0; o < end; o++) {
                if (!offsets.contains(o)) {
                    missing.add(o);
                }
            }
            assertThat(missing).as("offsets of %s never consumed (end %d)", tp, end).isEmpty();
        });
    }

    /** Asserts each record's value is the one produced at its offset (topic/partition/sequence, sequence = offset). */
    static void assertValuesMatchOffsets(Collection<? extends ConsumerRecord<?, String>> records) {
        for (ConsumerRecord<?, String> record : records) {
            assertThat(record.value()).isEqualTo(record.topic() + "/" + record.partition() + "/" + record.offset());
        }
    }

    static Set<TopicPartition> partitions(String topic, int... indexes) {
        return java.util.Arrays.stream(indexes).mapToObj(i -> new TopicPartition(topic, i)).collect(Collectors.toSet());
    }

    static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Admin call did not finish in time", e);
        }
    }

}
