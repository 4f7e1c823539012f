package io.tributary.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import io.tributary.client.test.TopicReader;
import io.tributary.client.events.EventCodec;
import io.tributary.client.events.EventHeaders;
import io.tributary.client.events.EventPublisher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Relays that run at once never publish a row twice nor a key's events out of order, and a pass whose sends did not
 * all succeed marks nothing sent.
 */
@OutboxIntegrationTest
class OutboxRelayTest {

    private static final int KEYS = 40;
    private static final int EVENTS = 2_000;
    private static final int EVENTS_PER_TRANSACTION = 25;

    @Autowired
    private OutboxRelay contextRelay;

    @Autowired
    private Outbox outbox;

    @Autowired
    private EventPublisher publisher;

    @Autowired
    private EventCodec codec;

    @Autowired
    private Admin admin;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Value("${tributary.bootstrap-servers}")
    private String bootstrapServers;

    private final List<CountingRelay> relays = new ArrayList<>();

    // The context's relay would be a third: these tests choose their relays.
    @BeforeEach
    void stopTheContextsRelay() {
        contextRelay.stop();
    }

    @AfterEach
    void restartTheContextsRelay() {
        relays.forEach(OutboxRelay::stop);
        contextRelay.start();
    }

    @Test
    void twoRelaysPublishEveryEventOnceAndEachKeysEventsInOrder() throws Exception {
        String topic = "two-relays";
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        CountingRelay first = relay(10);
        CountingRelay second = relay(10);
        first.start();
        second.start();

        // Two appenders with keys of their own, so that each key's events have one order, their appender's,
        // and the appenders' transactions interleave in the lanes.
        Map<String, OrderPlaced> appended = new ConcurrentHashMap<>();
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> append(topic, 0, appended)),
                CompletableFuture.runAsync(() -> append(topic, 1, appended))).get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> new OutboxRows(jdbc).unsent(topic) == 0);

        List<ConsumerRecord<String, byte[]>> records = new TopicReader(bootstrapServers).readAll(topic);
        List<String> eventIds = records.stream().map(r -> header(r, EventHeaders.EVENT_ID)).toList();
        assertThat(eventIds).hasSize(EVENTS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(appended.keySet());
        Map<String, List<Integer>> sequencesByKey = new HashMap<>();
        records.forEach(record -> sequencesByKey.computeIfAbsent(record.key(), key -> new ArrayList<>())
                .add(codec.decode(record.value(), OrderPlaced.class).sequence()));
        assertThat(sequencesByKey).hasSize(KEYS).allSatisfy((key, sequences) -> assertThat(sequences)
                .isEqualTo(IntStream.range(0, sequences.size()).boxed().toList()));
        // Both took part: the guarantees above held with passes that overlapped.
        assertThat(first.published() + second.published()).isEqualTo(EVENTS);
        assertThat(first.published()).isPositive();
        assertThat(second.published()).isPositive();
    }

    @Test
    void aRelayLeavesTheLanesAnotherHoldsAndPublishesTheRest() {
        String topic = "held-lanes";
        String heldKey = "order-held";
        String freeKey = IntStream.range(0, 100).mapToObj(i -> "order-free-" + i)
                .filter(key -> lane(key) != lane(heldKey)).findFirst().orElseThrow();
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            outbox.append(topic, heldKey, new OrderPlaced(heldKey, 0));
            outbox.append(topic, freeKey, new OrderPlaced(freeKey, 0));
        });
        CountingRelay relay = relay(100);

        // Another relay's pass, caught holding the held key's lane.
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            jdbc.query("SELECT lane FROM tributary_outbox_lane WHERE lane = ? FOR UPDATE", rs -> {
            }, lane(heldKey));
            assertThat(relay.relayOnce()).isEqualTo(1);
            assertThat(unsentKeys(topic)).containsExactly(heldKey);
        });

        assertThat(relay.relayOnce()).isEqualTo(1);
        assertThat(unsentKeys(topic)).isEmpty();
    }

    @Test
    void aRowThatCannotBePublishedHoldsUpItsLaneOnly() {
        String topic = "failing";
        String poisonKey = "order-too-large";
        List<String> keys = IntStream.range(0, 100).mapToObj(i -> "order-" + i).toList();
        String sameLane = keys.stream().filter(key -> lane(key) == lane(poisonKey)).findFirst().orElseThrow();
        String otherLane = keys.stream().filter(key -> lane(key) != lane(poisonKey)).findFirst().orElseThrow();
        String poisonId = new TransactionTemplate(transactionManager).execute(status -> {
            String id = outbox.append(topic, poisonKey, new OrderPlaced("x".repeat(2 * 1024 * 1024), 0));
            outbox.append(topic, sameLane, new OrderPlaced(sameLane, 0));
            outbox.append(topic, otherLane, new OrderPlaced(otherLane, 0));
            return id;
        });
        CountingRelay relay = relay(100);

        try {
            assertThatThrownBy(relay::relayOnce).isInstanceOf(OutboxRelayException.class)
                    .hasMessageContaining(poisonId).hasMessageContaining("lane " + lane(poisonKey))
                    .hasMessageContaining("RecordTooLargeException");
            assertThat(unsentKeys(topic)).containsExactlyInAnyOrder(poisonKey, sameLane);
        } finally {
            jdbc.update("DELETE FROM tributary_outbox WHERE event_id = ?::uuid", poisonId);
        }

        assertThat(relay.relayOnce()).isEqualTo(1);
        assertThat(unsentKeys(topic)).isEmpty();
        assertThat(new TopicReader(bootstrapServers).readAll(topic)).extracting(ConsumerRecord::key)
                .containsExactly(otherLane, sameLane);
    }

    private static int lane(String key) {
        return OutboxLanes.of(key, null);
    }

    private void append(String topic, int appender, Map<String, OrderPlaced> appended) {
        Random random = new Random(appender);
        int[] nextSequence = new int[KEYS / 2];
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        for (int t = 0; t < EVENTS / 2 / EVENTS_PER_TRANSACTION; t++) {
            transaction.executeWithoutResult(status -> {
                for (int i = 0; i < EVENTS_PER_TRANSACTION; i++) {
                    int key = random.nextInt(KEYS / 2);
                    String orderId = "order-" + appender + "-" + key;
                    OrderPlaced event = new OrderPlaced(orderId, nextSequence[key]++);
                    appended.put(outbox.append(topic, orderId, event), event);
                }
            });
        }
    }

    private Set<String> unsentKeys(String topic) {
        return jdbc.queryForList("SELECT event_key FROM tributary_outbox WHERE topic = ? AND sent_at IS NULL",
                String.class, topic).stream().collect(Collectors.toSet());
    }

    private CountingRelay relay(int batchSize) {
        TributaryOutboxProperties properties = new TributaryOutboxProperties();
        properties.setPollInterval(Duration.ofMillis(5));
        properties.setBatchSize(batchSize);
        CountingRelay relay = new CountingRelay(dataSource, publisher, properties);
        relays.add(relay);
        return relay;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Counts the rows it published and marked sent. */
    private static final class CountingRelay extends OutboxRelay {

        private final AtomicInteger published = new AtomicInteger();

        CountingRelay(DataSource dataSource, EventPublisher publisher, TributaryOutboxProperties properties) {
            super(dataSource, publisher, properties);
        }

        @Override
        void beforeMarkSent(List<OutboxRow> rows) {
            published.addAndGet(rows.size());
        }

        int published() {
            return published.get();
        }
    }
}
