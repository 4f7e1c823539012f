package io.tributary.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.tributary.client.test.EmbeddedTributary;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.transaction.KafkaTransactionManager;

/**
 * A consume-process-produce listener in Kafka transactions through the starter
 * ({@code tributary.producer.transaction-id-prefix}): what it sends and the offsets it consumed commit
 * together, so a read_committed reader of its output sees every input exactly once, even when the
 * listener fails after sending and its record is delivered again; the failed attempt's output is
 * there for a read_uncommitted reader only, as aborted data.
 */
@SpringBootTest(properties = {
        "spring.application.name=tx-shop",
        "tributary.producer.transaction-id-prefix=tx-shop-",
        "tributary.topics.tx-orders.partitions=2",
        "tributary.topics.tx-invoices.partitions=2",
        "tributary.retry.initial-interval=50ms",
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
})
@EmbeddedTributary
class TransactionalListenerTest {

    private static final int ORDERS = 20;

    @Autowired
    KafkaTemplate<String, byte[]> template;

    @Autowired
    KafkaTransactionManager<?, ?> transactionManager;

    @Autowired
    Admin admin;

    @Value("${tributary.bootstrap-servers}")
    String bootstrapServers;

    @Test
    void eachOrderIsInvoicedExactlyOnceForReadCommittedReadersThoughOneAttemptFailedAfterSending() throws Exception {
        assertThat(template.isTransactional()).isTrue();
        template.executeInTransaction(operations -> {
            for (int i = 0; i < ORDERS; i++) {
                operations.send("tx-orders", "order-" + i, ("order-" + i).getBytes(StandardCharsets.UTF_8));
            }
            return null;
        });

        List<String> committed = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = reader("read_committed")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(record -> committed.add(record.value()));
                return committed.size() >= ORDERS;
            });
            // Nothing more comes: no order was invoiced twice.
            reader.poll(Duration.ofSeconds(1)).forEach(record -> committed.add(record.value()));
        }
        assertThat(committed).hasSize(ORDERS).doesNotHaveDuplicates()
                .allSatisfy(invoice -> assertThat(invoice).startsWith("invoice-for-order-"));

        List<String> everything = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = reader("read_uncommitted")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(record -> everything.add(record.value()));
                return everything.size() >= ORDERS + 1;
            });
        }
        assertThat(everything).as("the failed attempt's invoice was written, then aborted")
                .filteredOn("invoice-for-order-7"::equals).hasSize(2);

        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("tx-shop")
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long consumed = offsets.entrySet().stream().filter(e -> e.getKey().topic().equals("tx-orders"))
                .mapToLong(e -> e.getValue().offset()).sum();
        // Each partition's log also holds the producer's commit marker after its orders.
        assertThat(consumed).as("the listener's offsets were committed with its transactions").isGreaterThanOrEqualTo(ORDERS);
    }

    private KafkaConsumer<String, String> reader(String isolation) {
        KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.GROUP_ID_CONFIG, "tx-reader-" + isolation),
                new StringDeserializer(), new StringDeserializer());
        reader.subscribe(Set.of("tx-invoices"));
        return reader;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class InvoicingApplication {

        @Bean
        InvoiceListener invoiceListener(KafkaTemplate<String, byte[]> template) {
            return new InvoiceListener(template);
        }
    }

    /** Sends an invoice for each order in the container's transaction; fails once for order 7 after sending. */
    static class InvoiceListener {

        private final KafkaTemplate<String, byte[]> template;
        private volatile boolean failedOnce;

        InvoiceListener(KafkaTemplate<String, byte[]> template) {
            this.template = template;
        }

        @KafkaListener(topics = "tx-orders")
        void on(ConsumerRecord<String, byte[]> order) {
            String orderId = new String(order.value(), StandardCharsets.UTF_8);
            template.send("tx-invoices", order.key(), ("invoice-for-" + orderId).getBytes(StandardCharsets.UTF_8));
            if (orderId.equals("order-7") && !failedOnce) {
                failedOnce = true;
                throw new IllegalStateException("the invoice service failed after sending; the transaction rolls back");
            }
        }
    }
}
