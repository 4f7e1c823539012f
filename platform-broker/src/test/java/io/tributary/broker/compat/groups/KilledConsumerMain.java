package io.tributary.broker.compat.groups;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/**
 * A consumer process for {@link MemberFailureTest}, meant to be killed (SIGKILL) while it works: it
 * consumes in a group, commits after each poll, and reports on stdout, one line each:
 * {@code @@A p,p} when partitions are assigned, {@code @@R p offset} for each record processed, and
 * {@code @@C p offset} once a commit of that next offset returned.
 *
 * <p>Arguments: bootstrap servers, group id, topic, session timeout in ms.
 */
public final class KilledConsumerMain {

    private KilledConsumerMain() {
    }

    public static void main(String[] args) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        PrintStream out = System.out;
        Map<String, Object> overrides = Map.of("session.timeout.ms", Integer.parseInt(args[3]),
                "heartbeat.interval.ms", 300, "max.poll.records", 10, "client.id", "doomed");
        try (KafkaConsumer<String, String> consumer = GroupClients.consumer(args[0], args[1], overrides)) {
            consumer.subscribe(List.of(args[2]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    out.println("@@A " + partitions.stream().map(tp -> Integer.toString(tp.partition()))
                            .sorted().collect(Collectors.joining(",")));
                    out.flush();
                }
            });
            while (true) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                Map<Integer, Long> next = new TreeMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    out.println("@@R " + record.partition() + " " + record.offset());
                    next.put(record.partition(), record.offset() + 1);
                }
                out.flush();
                if (!records.isEmpty()) {
                    consumer.commitSync();
                    next.forEach((partition, offset) -> out.println("@@C " + partition + " " + offset));
                    out.flush();
                }
            }
        }
    }
}
