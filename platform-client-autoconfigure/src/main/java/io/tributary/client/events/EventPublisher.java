package io.tributary.client.events;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

/**
 * Publishes events as JSON with their type and a fresh id in headers. The key decides the partition,
 * so events with the same key (an order id, say) are read in the order they were published.
 * <p>
 * Publishing goes straight to the broker. A service that changes its database and publishes in one
 * step should use the transactional outbox instead, so that neither happens without the other.
 * <p>
 * With a transactional producer ({@code spring.kafka.producer.transaction-id-prefix}), an event published
 * from a listener joins the listener's transaction: it becomes visible to read_committed consumers with
 * the listener's offsets, or never. Published elsewhere, each event is a transaction of its own.
 */
public class EventPublisher {

    private final KafkaTemplate<String, byte[]> template;
    private final EventCodec codec;

    public EventPublisher(KafkaTemplate<String, byte[]> template, EventCodec codec) {
        this.template = template;
        this.codec = codec;
    }

    /** Publishes {@code event} under {@code key} with a new event id; completes when the broker acknowledged it. */
    public CompletableFuture<SendResult<String, byte[]>> publish(String topic, String key, Object event) {
        return publish(topic, key, event, UUID.randomUUID().toString());
    }

    /** Publishes with a given event id: for events sent again, whose consumers must recognise them. */
    public CompletableFuture<SendResult<String, byte[]>> publish(String topic, String key, Object event, String eventId) {
        Objects.requireNonNull(event, "event");
        return send(topic, key, codec.typeOf(event), codec.encode(event), eventId);
    }

    /** Sends an event that is already encoded, such as a row of the outbox. */
    public CompletableFuture<SendResult<String, byte[]>> send(String topic, String key, String eventType, byte[] payload,
            String eventId) {
        return send(topic, key, eventType, payload, eventId, Map.of());
    }

    /** Sends an encoded event with further headers, such as the trace context an outbox row was written in. */
    public CompletableFuture<SendResult<String, byte[]>> send(String topic, String key, String eventType, byte[] payload,
            String eventId, Map<String, String> extraHeaders) {
        RecordHeaders headers = new RecordHeaders();
        extraHeaders.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        headers.add(EventHeaders.EVENT_TYPE, eventType.getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, payload, headers);
        if (template.isTransactional() && !template.inTransaction() && !template.isAllowNonTransactional()) {
            // Outside a listener's or a @Transactional method's transaction (the outbox relay, a REST call), the
            // event is its own transaction, committed before the future completes.
            return template.executeInTransaction(operations -> operations.send(record));
        }
        return template.send(record);
    }
}
