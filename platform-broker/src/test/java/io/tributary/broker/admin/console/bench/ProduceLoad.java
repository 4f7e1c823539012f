package io.tributary.broker.admin.console.bench;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A fixed amount of produce load from the official client, as fast as it goes, for the console
 * benchmark ({@code platform-broker/bench/console-bench.sh}): {@code records} records of
 * {@code size} bytes to {@code topic}, acks=1, 64 KiB batches, 5 ms linger. Prints
 * {@code produce_MiBps=} on stdout. Not a test.
 */
public final class ProduceLoad {

    private ProduceLoad() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int records = Integer.parseInt(args[2]);
        int size = Integer.parseInt(args[3]);
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "1");
        config.put("batch.size", 65536);
        config.put("linger.ms", 5);
        config.put("enable.idempotence", false);
        byte[] value = new byte[size];
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            throw failure.get();
        }
        System.out.printf(java.util.Locale.ROOT, "produce_MiBps=%.1f%n", (double) records * size / seconds / (1 << 20));
    }
}
