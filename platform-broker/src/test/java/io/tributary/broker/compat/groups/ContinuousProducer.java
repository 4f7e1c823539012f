package io.tributary.broker.compat.groups;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Load while a group changes: a thread producing to every partition of a topic, a few records at a
 * time, until closed or until it reaches its bound. Values are {@code topic/partition/sequence},
 * and the idempotent producer keeps sequence = offset on an empty topic.
 */
final class ContinuousProducer implements AutoCloseable {

    private final String topic;
    private final AtomicLongArray sequences;
    private final Thread thread;
    private final long bound;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean producing = true;

    ContinuousProducer(String bootstrap, String topic, int partitions, long bound) {
        this.topic = topic;
        this.sequences = new AtomicLongArray(partitions);
        this.bound = bound;
        this.thread = new Thread(() -> run(bootstrap), "producer-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String bootstrap) {
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap)) {
            while (producing && produced() < bound) {
                for (int p = 0; p < sequences.length(); p++) {
                    producer.send(new ProducerRecord<>(topic, p, null, topic + "/" + p + "/" + sequences.get(p)));
                    sequences.incrementAndGet(p);
                }
                producer.flush();
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Records sent (and, but for the last few, acknowledged) so far. */
    long produced() {
        long sum = 0;
        for (int i = 0; i < sequences.length(); i++) {
            sum += sequences.get(i);
        }
        return sum;
    }

    Throwable failure() {
        return failure.get();
    }

    /** Stops producing and waits for the last records to be acknowledged. */
    @Override
    public void close() throws InterruptedException {
        producing = false;
        thread.join(15_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("the producer did not stop");
        }
    }
}
