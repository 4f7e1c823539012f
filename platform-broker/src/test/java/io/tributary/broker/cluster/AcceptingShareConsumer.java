package io.tributary.broker.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member of a share group, on a thread of its own, that accepts every record it is handed
 * (explicit acknowledgement) and {@code commitSync}s after each poll, telling the
 * {@link ShareDeliveryLedger} what it received and which acceptances the brokers confirmed. The outcome of
 * each acceptance comes, offset by offset, to the consumer's acknowledgement commit callback, which
 * kafka-clients calls whether the acknowledgements went in a ShareAcknowledge ({@code commitSync}) or with a
 * later ShareFetch. Errors of the brokers (a leader gone, a coordinator moving) are what it is there to live
 * through: it counts them and goes on; anything else stops it and is kept as its failure.
 */
final class AcceptingShareConsumer implements AutoCloseable {

    private final String name;
    private final ShareDeliveryLedger ledger;
    private final Map<String, Object> config;
    private final String topic;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Broker errors met while polling or committing, and acknowledgements answered with an error. */
    final AtomicInteger brokerErrors = new AtomicInteger();
    /** Accepted deliveries whose outcome has not come yet, by partition and offset (the member's thread only). */
    private final Map<TopicPartition, Map<Long, ShareDeliveryLedger.Delivery>> awaitingOutcome = new HashMap<>();
    private final Thread thread;

    AcceptingShareConsumer(String name, String bootstrap, String group, String topic, ShareDeliveryLedger ledger) {
        this.name = name;
        this.ledger = ledger;
        this.topic = topic;
        this.config = Map.of("bootstrap.servers", bootstrap, "group.id", group, "client.id", name,
                "share.acknowledgement.mode", "explicit", "max.poll.records", 10,
                "metadata.max.age.ms", 1_000, "reconnect.backoff.max.ms", 500, "request.timeout.ms", 10_000);
        this.thread = new Thread(this::run, name);
    }

    AcceptingShareConsumer start() {
        thread.start();
        return this;
    }

    Throwable failure() {
        return failure.get();
    }

    private void run() {
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.setAcknowledgementCommitCallback(this::onAcknowledged);
            consumer.subscribe(List.of(topic));
            while (!stop.get()) {
                if (ledger.paused()) {
                    ledger.awaitGo(200);
                    continue;
                }
                List<ShareDeliveryLedger.Delivery> accepted = new ArrayList<>();
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        ShareDeliveryLedger.Delivery delivery = ledger.delivered(name, record.partition(), record.offset(),
                                record.deliveryCount().orElse((short) -1), record.value());
                        accepted.add(delivery);
                        awaitingOutcome.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                                p -> new HashMap<>()).put(record.offset(), delivery);
                        consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                    }
                } catch (KafkaException e) {
                    brokerErrors.incrementAndGet();
                }
                if (!accepted.isEmpty()) {
                    commit(consumer, accepted);
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private void commit(KafkaShareConsumer<String, String> consumer, List<ShareDeliveryLedger.Delivery> accepted) {
        try {
            consumer.commitSync(Duration.ofSeconds(30));
        } catch (KafkaException e) {
            brokerErrors.incrementAndGet();
            // Those of this poll still waiting may come again, or have been stored before a broker failed.
            List<ShareDeliveryLedger.Delivery> unknown = new ArrayList<>();
            for (ShareDeliveryLedger.Delivery delivery : accepted) {
                Map<Long, ShareDeliveryLedger.Delivery> waiting = awaitingOutcome.get(new TopicPartition(topic, delivery.partition()));
                if (waiting != null && waiting.remove(delivery.offset(), delivery)) {
                    unknown.add(delivery);
                }
            }
            ledger.outcomeUnknown(unknown);
        }
    }

    /** kafka-clients' word on acknowledgements: stored when {@code exception} is null, else maybe not. */
    private void onAcknowledged(Map<TopicIdPartition, Set<Long>> offsets, Exception exception) {
        List<ShareDeliveryLedger.Delivery> answered = new ArrayList<>();
        offsets.forEach((partition, partitionOffsets) -> {
            Map<Long, ShareDeliveryLedger.Delivery> waiting = awaitingOutcome.get(partition.topicPartition());
            if (waiting != null) {
                partitionOffsets.forEach(offset -> {
                    ShareDeliveryLedger.Delivery delivery = waiting.remove(offset);
                    if (delivery != null) {
                        answered.add(delivery);
                    }
                });
            }
        });
        if (exception == null) {
            ledger.confirmed(answered);
        } else {
            brokerErrors.incrementAndGet();
            ledger.outcomeUnknown(answered);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(60_000);
    }
}
