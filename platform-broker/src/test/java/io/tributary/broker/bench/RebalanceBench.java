package io.tributary.broker.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How long a consumer group takes to settle, on whichever broker BOOTSTRAP names: MEMBERS consumers of
 * one group start together on a topic of PARTITIONS partitions, and the time until every member has its
 * share (each partition owned by exactly one member, loads differing by at most one) is the join figure;
 * then one member closes, and the time until the others own every partition again is the leave figure.
 * The group protocol is PROTOCOL ({@code classic} with kafka-clients' default cooperative-sticky and
 * range assignors, or {@code consumer}); the brokers' group settings are their defaults. Prints
 * {@code join_ms=} and {@code leave_ms=}. Run by {@code platform-broker/bench/rebalance-bench.sh}.
 */
public final class RebalanceBench {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String protocol = args[1];
        int members = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        String name = "rebalance-" + protocol + "-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<Member> group = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < members; i++) {
            group.add(new Member(bootstrap, name, protocol, i));
        }
        awaitBalanced(group, partitions);
        long joinMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long leaving = System.nanoTime();
        group.remove(0).close();
        awaitBalanced(group, partitions);
        long leaveMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - leaving);
        group.forEach(Member::close);
        System.out.printf("join_ms=%d%nleave_ms=%d%n", joinMs, leaveMs);
    }

    private static void awaitBalanced(List<Member> group, int partitions) throws InterruptedException {
        BooleanSupplier balanced = () -> {
            Set<TopicPartition> all = new HashSet<>();
            int total = 0;
            for (Member member : group) {
                int size = member.assignment.size();
                if (size < partitions / group.size() || size > (partitions + group.size() - 1) / group.size()) {
                    return false;
                }
                all.addAll(member.assignment);
                total += size;
            }
            return all.size() == partitions && total == partitions;
        };
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!balanced.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the group did not settle within 2 minutes");
            }
            TimeUnit.MILLISECONDS.sleep(5); // a bench's sampling period, not a test's wait
        }
    }

    /** One consumer polling on its own thread, publishing its assignment after each poll. */
    private static final class Member {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;
        volatile Set<TopicPartition> assignment = Set.of();

        Member(String bootstrap, String topic, String protocol, int index) {
            Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "group.id", topic,
                    "group.protocol", protocol, "client.id", topic + "-" + index, "auto.offset.reset", "earliest"));
            consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(() -> {
                consumer.subscribe(List.of(topic));
                try {
                    while (running) {
                        consumer.poll(Duration.ofMillis(20));
                        assignment = Set.copyOf(consumer.assignment());
                    }
                } catch (WakeupException e) {
                    // closing
                } finally {
                    consumer.close(Duration.ofSeconds(10));
                }
            }, "member-" + index);
            thread.start();
        }

        void close() {
            running = false;
            consumer.wakeup();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
