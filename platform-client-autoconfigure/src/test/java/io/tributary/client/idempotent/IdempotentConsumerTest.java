package io.tributary.client.idempotent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import io.tributary.client.test.EmbeddedPostgresDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@SpringBootTest(properties = {
        "spring.application.name=billing",
        "spring.flyway.locations=classpath:db/tributary",
        // Idempotence needs nothing of the Kafka client: no broker here.
        "tributary.client.enabled=false" })
@EmbeddedPostgresDatabase
class IdempotentConsumerTest {

    @Autowired
    private IdempotentConsumer idempotentConsumer;

    @Autowired
    private ProcessedEventCleaner cleaner;

    @Autowired
    private DataSource dataSource;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Value("${spring.datasource.url}")
    private String url;

    @Value("${spring.datasource.username}")
    private String username;

    @Value("${spring.datasource.password}")
    private String password;

    @Test
    void anEventDeliveredTwiceRunsOnce() {
        String eventId = UUID.randomUUID().toString();
        AtomicInteger runs = new AtomicInteger();

        assertThat(idempotentConsumer.runOnce(eventId, runs::incrementAndGet)).isTrue();
        assertThat(idempotentConsumer.runOnce(eventId, runs::incrementAndGet)).isFalse();

        assertThat(runs).hasValue(1);
        assertThat(idempotentConsumer.isProcessed(eventId)).isTrue();
    }

    @Test
    void workThatFailsLeavesNoRecordSoTheRetryRunsIt() {
        String eventId = UUID.randomUUID().toString();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS invoice (event_id text NOT NULL)");

        assertThatThrownBy(() -> idempotentConsumer.runOnce(eventId, () -> {
            jdbc.update("INSERT INTO invoice (event_id) VALUES (?)", eventId);
            throw new IllegalStateException("payment service down");
        })).hasMessage("payment service down");
        assertThat(idempotentConsumer.isProcessed(eventId)).isFalse();

        assertThat(idempotentConsumer.runOnce(eventId,
                () -> jdbc.update("INSERT INTO invoice (event_id) VALUES (?)", eventId))).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invoice WHERE event_id = ?", Integer.class, eventId))
                .isEqualTo(1);
    }

    @Test
    void theListenersTransactionIsJoinedSoItsRollbackForgetsTheEvent() {
        String eventId = UUID.randomUUID().toString();

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            assertThat(idempotentConsumer.runOnce(eventId, () -> {
            })).isTrue();
            status.setRollbackOnly();
        });

        assertThat(idempotentConsumer.isProcessed(eventId)).isFalse();
    }

    @Test
    void eachConsumerProcessesAnEventOnce() {
        String eventId = UUID.randomUUID().toString();
        IdempotentConsumer other = new IdempotentConsumer(dataSource, transactionManager, "notifications");
        AtomicInteger runs = new AtomicInteger();

        assertThat(idempotentConsumer.consumer()).isEqualTo("billing");
        assertThat(idempotentConsumer.runOnce(eventId, runs::incrementAndGet)).isTrue();
        assertThat(other.runOnce(eventId, runs::incrementAndGet)).isTrue();
        assertThat(other.runOnce(eventId, runs::incrementAndGet)).isFalse();

        assertThat(runs).hasValue(2);
    }

    @Test
    void concurrentDeliveriesOfOneEventRunItOnce() throws Exception {
        List<String> eventIds = IntStream.range(0, 20).mapToObj(i -> UUID.randomUUID().toString()).toList();
        AtomicInteger runs = new AtomicInteger();

        CompletableFuture.allOf(IntStream.range(0, 4).mapToObj(worker -> CompletableFuture.runAsync(
                () -> eventIds.forEach(eventId -> idempotentConsumer.runOnce(eventId, runs::incrementAndGet))))
                .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        assertThat(runs).hasValue(eventIds.size());
    }

    @Test
    void eventsProcessedLongerAgoThanTheRetentionAreForgotten() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        idempotentConsumer.runOnce(old, () -> {
        });
        idempotentConsumer.runOnce(recent, () -> {
        });
        new JdbcTemplate(dataSource).update("UPDATE tributary_processed_event"
                + " SET processed_at = now() - interval '15 days' WHERE event_id = ?", old);

        assertThat(cleaner.cleanUp()).isEqualTo(1);

        assertThat(idempotentConsumer.isProcessed(old)).isFalse();
        assertThat(idempotentConsumer.isProcessed(recent)).isTrue();
    }

    @Test
    void aTransactionManagerOfAnotherResourceIsRefused() {
        // Another DataSource, though on the same database: its transactions do not hold our connection.
        PlatformTransactionManager unrelated = new DataSourceTransactionManager(
                new DriverManagerDataSource(url, username, password));
        IdempotentConsumer misconfigured = new IdempotentConsumer(dataSource, unrelated, "billing");

        assertThatIllegalStateException().isThrownBy(() -> misconfigured.runOnce("e-1", () -> {
        }));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BillingApplication {
    }
}
