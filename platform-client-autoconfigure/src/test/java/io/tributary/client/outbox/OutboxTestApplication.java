package io.tributary.client.outbox;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import io.tributary.client.events.EventHeaders;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.idempotent.IdempotentConsumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.messaging.handler.annotation.Header;

/**
 * A shipping "service" as the starter sets it up: the outbox and its relay auto-configured, except that the relay
 * can be told to crash, and a listener that ships each order event once through the idempotent consumer.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class OutboxTestApplication {

    @Bean
    CrashingOutboxRelay outboxRelay(DataSource dataSource, EventPublisher publisher,
            TributaryOutboxProperties properties) {
        return new CrashingOutboxRelay(dataSource, publisher, properties);
    }

    @Bean
    ShipmentListener shipmentListener(IdempotentConsumer idempotentConsumer, JdbcTemplate jdbc) {
        return new ShipmentListener(idempotentConsumer, jdbc);
    }

    /** The relay of {@link OutboxRelay}, which dies between send and mark-sent as often as it is told to. */
    static class CrashingOutboxRelay extends OutboxRelay {

        private final AtomicInteger crashesToCome = new AtomicInteger();
        private final AtomicInteger crashes = new AtomicInteger();

        CrashingOutboxRelay(DataSource dataSource, EventPublisher publisher, TributaryOutboxProperties properties) {
            super(dataSource, publisher, properties);
        }

        void crashAfterSendingInNextPasses(int passes) {
            crashesToCome.set(passes);
            crashes.set(0);
        }

        int crashes() {
            return crashes.get();
        }

        @Override
        void beforeMarkSent(List<OutboxRow> rows) {
            if (crashesToCome.getAndUpdate(n -> Math.max(n - 1, 0)) > 0) {
                crashes.incrementAndGet();
                throw new IllegalStateException("relay killed after " + rows.size() + " rows were acknowledged");
            }
        }
    }

    /** Ships an order event: one shipment row per event, however often the event arrives. */
    static class ShipmentListener {

        private final IdempotentConsumer idempotentConsumer;
        private final JdbcTemplate jdbc;
        private final AtomicInteger deliveries = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();

        ShipmentListener(IdempotentConsumer idempotentConsumer, JdbcTemplate jdbc) {
            this.idempotentConsumer = idempotentConsumer;
            this.jdbc = jdbc;
        }

        @KafkaListener(topics = OutboxIntegrationTest.SHIPMENTS)
        void on(OrderPlaced event, @Header(EventHeaders.EVENT_ID) String eventId) {
            deliveries.incrementAndGet();
            boolean ran = idempotentConsumer.runOnce(eventId, () -> jdbc.update(
                    "INSERT INTO shipment (event_id, order_id, sequence) VALUES (?, ?, ?)", eventId, event.orderId(),
                    event.sequence()));
            if (!ran) {
                skipped.incrementAndGet();
            }
        }

        int deliveries() {
            return deliveries.get();
        }

        int skipped() {
            return skipped.get();
        }
    }
}
