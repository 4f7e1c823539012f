package io.tributary.client.idempotent;

import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes a listener's side effects happen once per event although the event may be delivered more than once
 * (the outbox relay and retries deliver at least once). {@link #runOnce} records the event id in
 * {@code tributary_processed_event} and runs the work in the same database transaction: the work's changes
 * and the record commit together or not at all, so a redelivered event finds the record and is skipped,
 * and an event whose work failed is not recorded and runs again when it is retried.
 * <p>
 * Records are kept per consumer, so that two services reading the same event each process it once. While
 * one transaction processes an event, another that processes the same event waits for it at the insert,
 * and then skips it if the first committed. PostgreSQL only: the schema is
 * {@code classpath:db/tributary/R__tributary_processed_events.sql}. Thread-safe.
 */
public class IdempotentConsumer {

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final String consumer;

    /**
     * @param transactionManager manages transactions on {@code dataSource} (a JDBC or JPA one); a transaction
     *        the listener already runs in is joined
     * @param consumer whose processing is recorded, such as the consumer group
     */
    public IdempotentConsumer(DataSource dataSource, PlatformTransactionManager transactionManager, String consumer) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    /**
     * Runs {@code work} unless this consumer already processed the event {@code eventId}; returns whether it ran.
     * What {@code work} throws rolls the transaction back, the record of the event included, and is rethrown.
     */
    public boolean runOnce(String eventId, Runnable work) {
        Objects.requireNonNull(eventId, "eventId: the tributary-event-id header of the record");
        Objects.requireNonNull(work, "work");
        Boolean ran = transaction.execute(status -> {
            requireDataSourceTransaction();
            if (!markProcessed(eventId)) {
                return false;
            }
            work.run();
            return true;
        });
        return Boolean.TRUE.equals(ran);
    }

    /** Whether this consumer has processed {@code eventId}, as far as committed transactions tell. */
    public boolean isProcessed(String eventId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM tributary_processed_event"
                + " WHERE consumer = ? AND event_id = ?)", Boolean.class, consumer, eventId));
    }

    public String consumer() {
        return consumer;
    }

    private boolean markProcessed(String eventId) {
        return jdbc.update("INSERT INTO tributary_processed_event (consumer, event_id) VALUES (?, ?)"
                + " ON CONFLICT DO NOTHING", consumer, eventId) == 1;
    }

    // With a transaction manager of another resource (Kafka's, say) the record would commit on its own,
    // before the work: a failed work would then never be retried.
    private void requireDataSourceTransaction() {
        if (!TransactionSynchronizationManager.hasResource(dataSource)) {
            throw new IllegalStateException("IdempotentConsumer's transaction manager does not manage its"
                    + " DataSource, so the record of an event could not commit with the work: give it the"
                    + " DataSource's (JDBC or JPA) transaction manager");
        }
    }
}
