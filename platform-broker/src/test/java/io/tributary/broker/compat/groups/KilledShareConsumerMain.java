package io.tributary.broker.compat.groups;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.LoggerFactory;

/**
 * A share consumer process for {@link ShareConsumerTest}, meant to be killed (SIGKILL) while it holds
 * records: it acquires records (explicit acknowledgement, so none is acknowledged), reports each on stdout
 * as {@code @@R partition offset}, then waits to be killed.
 *
 * <p>Arguments: bootstrap servers, group id, topic.
 */
public final class KilledShareConsumerMain {

    private KilledShareConsumerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        PrintStream out = System.out;
        KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(Map.of("bootstrap.servers", args[0],
                "group.id", args[1], "share.acknowledgement.mode", "explicit", "client.id", "doomed"),
                new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(args[2]));
        while (true) {
            var records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                for (ConsumerRecord<String, String> record : records) {
                    out.println("@@R " + record.partition() + " " + record.offset());
                }
                out.flush();
                new CountDownLatch(1).await(); // holds them until killed
            }
        }
    }
}
