package io.tributary.samples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole reference stack as it runs in the demo, secured ({@code ./demo/run --secure}): PostgreSQL, the broker
 * on SASL_SSL with ACLs, and the four services, each its own JVM started from its executable jar and logged in as
 * its own user. Orders go in over REST; what comes out must be exactly what the payments service's rules say, also
 * across a restart of the payments service in the middle of the flow; and a service's user can touch no other
 * service's topics or group. Only the secured stack runs: the plain one differs in its connections alone, and two
 * stacks would double the longest test of the build.
 */
class ReferenceStackEndToEndTest {

    private static final int ORDERS = 200;

    /** Under target/, not a temporary directory: the five processes' logs stay there to read after a failure. */
    private final Path work = workDirectory();

    private static Path workDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory(java.nio.file.Files.createDirectories(Path.of("target")),
                    "reference-stack-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyOrderEndsAsTheRulesSayWithExactlyOneInvoicePerPaidOrderAndTheExpectedNotifications() throws Exception {
        Path root = Path.of(System.getProperty("tributary.demo.root", "..")).toAbsolutePath().normalize();
        try (DemoStack stack = DemoStack.start(root, work, freePorts(), null, true)) {
            ShopClient shop = new ShopClient(stack.url(DemoStack.ORDERS), stack.url(DemoStack.BILLING),
                    stack.url(DemoStack.NOTIFICATIONS));
            List<SampleOrders.Order> orders = SampleOrders.generate(ORDERS);
            assertThat(orders).extracting(SampleOrders.Order::expectedStatus).contains("PAID", "REJECTED");
            Map<String, SampleOrders.Order> byId = new HashMap<>();

            for (SampleOrders.Order order : orders.subList(0, ORDERS / 2)) {
                byId.put(shop.place(order).get("id").asString(), order);
            }
            // Mid-flow: payments goes away while orders keep coming, and comes back to a backlog.
            stack.stop(DemoStack.PAYMENTS);
            for (SampleOrders.Order order : orders.subList(ORDERS / 2, ORDERS)) {
                byId.put(shop.place(order).get("id").asString(), order);
            }
            stack.start(DemoStack.PAYMENTS);

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    byId.keySet().stream().noneMatch(id -> shop.order(id).get("status").asString().equals("PENDING"))
                            && notificationsPerOrder(shop).values().stream().mapToInt(Integer::intValue).sum()
                                    == byId.values().stream().mapToInt(SampleOrders.Order::expectedNotifications).sum());

            byId.forEach((id, order) -> assertThat(shop.order(id).get("status").asString()).as("order %s", id)
                    .isEqualTo(order.expectedStatus()));
            Map<String, Integer> invoices = invoicesPerOrder(shop);
            byId.forEach((id, order) -> assertThat(invoices.getOrDefault(id, 0)).as("invoices of %s", id)
                    .isEqualTo(order.expectedStatus().equals("PAID") ? 1 : 0));
            Map<String, Integer> notifications = notificationsPerOrder(shop);
            byId.forEach((id, order) -> assertThat(notifications.getOrDefault(id, 0)).as("notifications of %s", id)
                    .isEqualTo(order.expectedNotifications()));
            assertThat(invoices.keySet()).isSubsetOf(byId.keySet());
            assertThat(notifications.keySet()).isSubsetOf(byId.keySet());

            everyOrdersTraceGoesThroughAllFourServices(stack, byId);
            aServiceTouchesOnlyItsOwnTopicsAndGroup(stack);
        }
    }

    /**
     * The flow above shows that each service may do what it needs; the ACLs also keep it from the rest. Payments may
     * neither publish invoices (billing's) nor look into the orders service's consumer group, and nothing it tried
     * reached the topic.
     */
    private static void aServiceTouchesOnlyItsOwnTopicsAndGroup(DemoStack stack) throws Exception {
        long invoices = endOffsets(stack, "invoices");
        Map<String, Object> payments = new HashMap<>(stack.clientConfig(DemoStack.PAYMENTS));
        payments.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(payments, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("invoices", "order-1", "forged"))
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        try (Admin admin = Admin.create(stack.clientConfig(DemoStack.PAYMENTS))) {
            assertThatThrownBy(() -> admin.listConsumerGroupOffsets(DemoStack.ORDERS).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupAuthorizationException.class);
        }
        assertThat(endOffsets(stack, "invoices")).isEqualTo(invoices);
    }

    /** The sum of a topic's end offsets, as the admin sees them. */
    private static long endOffsets(DemoStack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(stack.clientConfig(DemoSecurity.ADMIN))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < partitions; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    /**
     * The trace that starts at an order's {@code POST /orders} goes on through OrderCreated, the payment, the invoice
     * and the notifications, through each service's outbox, also for the orders that waited while payments was down:
     * the log lines of each order in all four services carry one trace id (Boot's log correlation).
     */
    private static void everyOrdersTraceGoesThroughAllFourServices(DemoStack stack, Map<String, SampleOrders.Order> byId) {
        Map<String, Map<String, Set<String>>> tracesByService = new HashMap<>();
        for (String service : List.of(DemoStack.ORDERS, DemoStack.PAYMENTS, DemoStack.BILLING, DemoStack.NOTIFICATIONS)) {
            tracesByService.put(service, TraceLog.traceIdsByOrder(stack.log(service)));
        }
        Map<String, List<TraceLog.OrderLine>> paymentLines = TraceLog.linesByOrder(stack.log(DemoStack.PAYMENTS));
        byId.forEach((id, order) -> {
            Set<String> placed = tracesByService.get(DemoStack.ORDERS).getOrDefault(id, Set.of());
            assertThat(placed).as("trace of order %s in orders", id).hasSize(1);
            List<String> services = order.expectedStatus().equals("PAID")
                    ? List.of(DemoStack.BILLING, DemoStack.NOTIFICATIONS)
                    : List.of(DemoStack.NOTIFICATIONS);
            for (String service : services) {
                assertThat(tracesByService.get(service).getOrDefault(id, Set.of()))
                        .as("traces of order %s in %s", id, service).isEqualTo(placed);
            }
            // Payments: the order's trace on its line — except for the records the first payments drained while it
            // was stopping. Spring Boot's OpenTelemetry bridge stops writing trace ids into the log (MDC) as the
            // context closes, before the listener containers stop; the trace itself still goes on, which the
            // notifications' lines for the payment's outcome (same trace id, asserted above) show.
            List<TraceLog.OrderLine> lines = paymentLines.getOrDefault(id, List.of());
            assertThat(lines).as("payments' lines for order %s", id).isNotEmpty();
            assertThat(lines).as("payments' lines for order %s", id).allSatisfy(line -> {
                if (line.traceId() == null) {
                    assertThat(line.instance()).as("an untraced line comes from the payments that was stopped").isEqualTo(1);
                } else {
                    assertThat(Set.of(line.traceId())).isEqualTo(placed);
                }
            });
        });
        // And only its last lines: once the context closed, nothing it wrote carried an id, and before, everything did.
        List<TraceLog.OrderLine> firstInstance = TraceLog.orderLines(stack.log(DemoStack.PAYMENTS)).stream()
                .map(Map.Entry::getValue).filter(line -> line.instance() == 1).toList();
        int firstUntraced = firstInstance.indexOf(firstInstance.stream().filter(l -> l.traceId() == null).findFirst()
                .orElse(null));
        if (firstUntraced >= 0) {
            assertThat(firstInstance.subList(firstUntraced, firstInstance.size()))
                    .as("the stopping payments' lines after its first one without a trace id")
                    .allSatisfy(line -> assertThat(line.traceId()).isNull());
        }
    }

    private static Map<String, Integer> invoicesPerOrder(ShopClient shop) {
        return countByOrder(shop.invoices(null));
    }

    private static Map<String, Integer> notificationsPerOrder(ShopClient shop) {
        return countByOrder(shop.notifications(null));
    }

    private static Map<String, Integer> countByOrder(JsonNode array) {
        List<String> orderIds = new ArrayList<>();
        array.forEach(element -> orderIds.add(element.get("orderId").asString()));
        return orderIds.stream().collect(Collectors.toMap(id -> id, id -> 1, Integer::sum));
    }

    private static DemoStack.Ports freePorts() {
        int[] ports = new int[6];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return new DemoStack.Ports(ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]);
    }
}
