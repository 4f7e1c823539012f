package io.tributary.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import io.tributary.client.test.TopicReader;
import io.tributary.client.events.EventCodec;
import io.tributary.client.events.EventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@OutboxIntegrationTest
class OutboxTest {

    @Autowired
    private Outbox outbox;

    @Autowired
    private EventCodec codec;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Value("${tributary.bootstrap-servers}")
    private String bootstrapServers;

    @Test
    void appendOutsideATransactionIsRefused() {
        assertThatIllegalStateException()
                .isThrownBy(() -> outbox.append("refused", "order-1", new OrderPlaced("order-1", 0)))
                .withMessageContaining("needs an active database transaction");
        assertThat(rows().all("refused")).isZero();
    }

    @Test
    void aRolledBackTransactionLeavesNoEvent() {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            jdbc.update("INSERT INTO shipment (event_id, order_id, sequence) VALUES ('none', 'order-rolled-back', 0)");
            outbox.append("rolled-back", "order-rolled-back", new OrderPlaced("order-rolled-back", 0));
            status.setRollbackOnly();
        });

        assertThat(rows().all("rolled-back")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM shipment WHERE order_id = 'order-rolled-back'",
                Integer.class)).isZero();
    }

    @Test
    void theRelayPublishesCommittedEventsWithTheirIdsInOrderPerKeyAndMarksThemSent() {
        String topic = "relayed";
        Map<String, OrderPlaced> appended = new LinkedHashMap<>();
        // Three keys interleaved, in two transactions: the second's events come after the first's.
        for (int transaction = 0; transaction < 2; transaction++) {
            int first = transaction * 10;
            new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
                for (int sequence = first; sequence < first + 10; sequence++) {
                    for (String order : List.of("order-a", "order-b", "order-c")) {
                        OrderPlaced event = new OrderPlaced(order, sequence);
                        appended.put(outbox.append(topic, order, event), event);
                    }
                }
            });
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> rows().unsent(topic) == 0);
        assertThat(rows().all(topic)).isEqualTo(60);

        List<ConsumerRecord<String, byte[]>> records = new TopicReader(bootstrapServers).readAll(topic);
        assertThat(records).hasSize(60);
        Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String eventId = header(record, EventHeaders.EVENT_ID);
            assertThat(header(record, EventHeaders.EVENT_TYPE)).isEqualTo("OrderPlaced");
            OrderPlaced event = codec.decode(record.value(), OrderPlaced.class);
            assertThat(event).isEqualTo(appended.get(eventId));
            assertThat(record.key()).isEqualTo(event.orderId());
            sequencesByKey.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(event.sequence());
        }
        List<Integer> inOrder = IntStream.range(0, 20).boxed().toList();
        assertThat(sequencesByKey).containsOnlyKeys("order-a", "order-b", "order-c")
                .allSatisfy((key, sequences) -> assertThat(sequences).isEqualTo(inOrder));
    }

    @Test
    void rowsSentLongerAgoThanTheRetentionAreDeleted() {
        String topic = "retention";
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            for (int sequence = 0; sequence < 3; sequence++) {
                outbox.append(topic, "order-old", new OrderPlaced("order-old", sequence));
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> rows().unsent(topic) == 0);
        jdbc.update("UPDATE tributary_outbox SET sent_at = now() - interval '8 days'"
                + " WHERE topic = ? AND id < (SELECT max(id) FROM tributary_outbox WHERE topic = ?)", topic, topic);

        int deleted = new OutboxTable(dataSource).deleteSentBefore(Duration.ofDays(7), 1);

        assertThat(deleted).isEqualTo(2);
        assertThat(rows().all(topic)).isEqualTo(1);
    }

    // Flyway runs a repeatable migration again whenever it changes, on a database that has its tables and rows.
    @Test
    void theMigrationsCanRunAgain() {
        new ResourceDatabasePopulator(new ClassPathResource("db/tributary/R__tributary_outbox.sql"),
                new ClassPathResource("db/tributary/R__tributary_processed_events.sql")).execute(dataSource);

        assertThat(jdbc.queryForList("SELECT lane FROM tributary_outbox_lane ORDER BY lane", Integer.class))
                .isEqualTo(IntStream.range(0, OutboxLanes.COUNT).boxed().toList());
    }

    private OutboxRows rows() {
        return new OutboxRows(jdbc);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
