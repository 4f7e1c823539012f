package io.tributary.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.tributary.client.outbox.OutboxTestApplication.CrashingOutboxRelay;
import io.tributary.client.outbox.OutboxTestApplication.ShipmentListener;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** At-least-once delivery from the outbox, exactly-once effect through the idempotent consumer. */
@OutboxIntegrationTest
class RelayCrashTest {

    private static final int ORDERS = 10;
    private static final int EVENTS_PER_ORDER = 5;
    private static final int EVENTS = ORDERS * EVENTS_PER_ORDER;

    @Autowired
    private CrashingOutboxRelay relay;

    @Autowired
    private ShipmentListener listener;

    @Autowired
    private Outbox outbox;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void aRelayKilledBetweenSendAndMarkSentSendsAgainAndTheIdempotentConsumerAppliesEachEventOnce() {
        int deliveriesBefore = listener.deliveries();
        int skippedBefore = listener.skipped();
        relay.crashAfterSendingInNextPasses(2);

        List<String> eventIds = new TransactionTemplate(transactionManager).execute(status -> {
            List<String> ids = new ArrayList<>();
            for (int sequence = 0; sequence < EVENTS_PER_ORDER; sequence++) {
                for (int order = 0; order < ORDERS; order++) {
                    ids.add(outbox.append(OutboxIntegrationTest.SHIPMENTS, "order-" + order,
                            new OrderPlaced("order-" + order, sequence)));
                }
            }
            return ids;
        });

        // All rows in one transaction, so each pass takes all of them: two died after the broker had them,
        // the third marked them sent.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> new OutboxRows(jdbc).unsent(OutboxIntegrationTest.SHIPMENTS) == 0);
        assertThat(relay.crashes()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.deliveries() - deliveriesBefore == 3 * EVENTS);
        assertThat(listener.skipped() - skippedBefore).isEqualTo(2 * EVENTS);
        List<String> shipped = jdbc.queryForList("SELECT event_id FROM shipment WHERE event_id IN ("
                + String.join(",", eventIds.stream().map(id -> "'" + id + "'").toList()) + ")", String.class);
        assertThat(shipped).hasSize(EVENTS).containsExactlyInAnyOrderElementsOf(eventIds);
    }
}
