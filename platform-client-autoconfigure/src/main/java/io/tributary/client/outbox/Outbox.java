package io.tributary.client.outbox;

import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import io.micrometer.observation.ObservationRegistry;
import io.tributary.client.events.EventCodec;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The transactional outbox: {@link #append} stores an event in the service's database, in the transaction
 * that changes the business data, so that the event exists if and only if that change commits. The
 * {@link OutboxRelay} publishes it afterwards, at least once, under the event id returned here.
 * <p>
 * Events of one key are published in the order their transactions committed. Transactions appending
 * events of the same key are serialized for that (a transaction-scoped lock on the key's hash, held to
 * commit), as they usually already are by the business row they change; a transaction that appends to
 * several keys should do so in a consistent order, or it may meet another in a deadlock, as with row locks.
 * <p>
 * With an {@link ObservationRegistry} and Micrometer Tracing, each row also keeps the W3C trace context
 * ({@code traceparent}, {@code tracestate}) of its transaction, and the relay sends the event in that trace.
 * <p>
 * PostgreSQL only: the schema is {@code classpath:db/tributary/R__tributary_outbox.sql}. Thread-safe.
 */
public class Outbox {

    private final DataSource dataSource;
    private final OutboxTable table;
    private final EventCodec codec;
    private final OutboxTracing tracing;

    public Outbox(DataSource dataSource, EventCodec codec) {
        this(dataSource, codec, ObservationRegistry.NOOP);
    }

    /**
     * An outbox that stores, with each event, the trace context of the transaction that appends it, for the relay
     * to continue that trace; with Micrometer Tracing behind {@code observationRegistry}.
     */
    public Outbox(DataSource dataSource, EventCodec codec, ObservationRegistry observationRegistry) {
        this.dataSource = dataSource;
        this.table = new OutboxTable(dataSource);
        this.codec = codec;
        this.tracing = new OutboxTracing(observationRegistry);
    }

    /**
     * Stores {@code event} for publication to {@code topic} under {@code key} (which may be null) once the
     * current transaction commits; returns its event id, the value of the {@code tributary-event-id} header.
     *
     * @throws IllegalStateException when no transaction on this outbox's DataSource is active: stored on
     *         its own, the event could be published for a change that is then rolled back
     */
    public String append(String topic, String key, Object event) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(event, "event");
        requireTransaction();
        String eventId = UUID.randomUUID().toString();
        if (key != null) {
            table.lockKey(key);
        }
        table.insert(eventId, topic, key, codec.typeOf(event), codec.encode(event), OutboxLanes.of(key, eventId),
                tracing.capture(topic));
        return eventId;
    }

    // A Kafka (or other) transaction alone is not enough: only a transaction bound to this DataSource makes
    // the insert commit or roll back with the business change.
    private void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()
                || !TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("Outbox.append needs an active database transaction on the outbox's"
                    + " DataSource, so that the event is stored with the business change or not at all:"
                    + " call it from a @Transactional method or a TransactionTemplate");
        }
    }
}
