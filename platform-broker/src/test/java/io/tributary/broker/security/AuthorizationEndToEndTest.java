package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.config.BrokerConfiguration;

/**
 * ACLs as users of Kafka meet them, through the official clients over SASL and through the HTTP
 * side: a producer without WRITE, a consumer without READ on its group, DENY over ALLOW, prefixed
 * ACLs, a super user, topics hidden from those who may not describe them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationEndToEndTest {

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "authorization-test-");
        registry.add("tributary.broker.data-dir", dataDir::toString);
        registry.add("tributary.broker.listeners", () -> "SASL_PLAINTEXT://127.0.0.1:0");
        registry.add("tributary.broker.security.authorizer.enabled", () -> "true");
        registry.add("tributary.broker.security.super-users", () -> "User:admin");
        registry.add("tributary.broker.security.connection-failed-authentication-delay", () -> "0ms");
        registry.add("tributary.broker.group.initial-rebalance-delay", () -> "0ms");
        List<String[]> users = new ArrayList<>();
        users.addAll(ScramUsers.bootstrapProperties(0, "admin", "admin-secret"));
        users.addAll(ScramUsers.bootstrapProperties(1, "alice", "alice-secret"));
        users.addAll(ScramUsers.bootstrapProperties(2, "bob", "bob-secret"));
        for (String[] property : users) {
            registry.add(property[0], () -> property[1]);
        }
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    BrokerConfiguration.KafkaListener listener;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void topicsAndAcls() throws Exception {
        try (Admin admin = Admin.create(client("admin", "admin-secret"))) {
            admin.createTopics(List.of(new NewTopic("orders-created", 1, (short) 1), new NewTopic("payments", 1, (short) 1),
                    new NewTopic("orders-secret", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                    // alice writes every orders-* topic and reads payments
                    allow("alice", AclOperation.WRITE, ResourceType.TOPIC, "orders-", PatternType.PREFIXED),
                    allow("alice", AclOperation.READ, ResourceType.TOPIC, "payments", PatternType.LITERAL),
                    // bob reads every orders-* topic, but not the secret one, and has a group
                    allow("bob", AclOperation.READ, ResourceType.TOPIC, "orders-", PatternType.PREFIXED),
                    deny("bob", AclOperation.READ, ResourceType.TOPIC, "orders-secret", PatternType.LITERAL),
                    allow("bob", AclOperation.READ, ResourceType.GROUP, "bob-", PatternType.PREFIXED)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProducerWithoutWriteIsRefusedAndNothingIsAppended() throws Exception {
        long before = endOffset("payments");
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(endOffset("payments")).isEqualTo(before);
        assertThat(meters.get("tributary.authorizer.denied").functionCounter().count()).isPositive();
    }

    @Test
    void aPrefixedAclLetsTheProducerWrite() throws Exception {
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            producer.send(new ProducerRecord<>("orders-created", "order-1", "created")).get(30, TimeUnit.SECONDS);
        }
        assertThat(endOffset("orders-created")).isPositive();
    }

    @Test
    void aConsumerWithoutReadOnItsGroupGetsAGroupAuthorizationError() {
        try (KafkaConsumer<String, String> consumer = consumer("bob", "bob-secret", "someone-elses-group")) {
            consumer.subscribe(List.of("orders-created"));
            assertThatThrownBy(() -> await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200));
                return false;
            })).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void denyBeatsAllowAndTheGroupItMayUseWorks() throws Exception {
        try (KafkaProducer<String, String> producer = producer("alice", "alice-secret")) {
            producer.send(new ProducerRecord<>("orders-secret", "k", "classified")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>("orders-created", "order-2", "created")).get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> consumer = consumer("bob", "bob-secret", "bob-readers")) {
            consumer.subscribe(List.of("orders-created"));
            List<String> keys = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                return keys.contains("order-2");
            });
            consumer.commitSync(Duration.ofSeconds(10));
        }
        try (KafkaConsumer<String, String> consumer = consumer("bob", "bob-secret", "bob-secret-readers")) {
            consumer.assign(List.of(new TopicPartition("orders-secret", 0)));
            consumer.seekToBeginning(List.of(new TopicPartition("orders-secret", 0)));
            assertThatThrownBy(() -> await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200));
                return false;
            })).isInstanceOf(TopicAuthorizationException.class).hasMessageContaining("orders-secret");
        }
    }

    @Test
    void topicsAUserMayNotDescribeAreLeftOutOfTheListing() throws Exception {
        try (Admin alice = Admin.create(client("alice", "alice-secret"))) {
            // WRITE and READ imply DESCRIBE: alice sees the orders-* topics and payments.
            assertThat(alice.listTopics().names().get(30, TimeUnit.SECONDS))
                    .contains("orders-created", "orders-secret", "payments");
        }
        try (Admin bob = Admin.create(client("bob", "bob-secret"))) {
            assertThat(bob.listTopics().names().get(30, TimeUnit.SECONDS)).contains("orders-created").doesNotContain("payments");
        }
    }

    @Test
    void theHttpSideAsksForTheSameAcls() throws Exception {
        HttpResponse<String> refused = post("/api/topics", "alice", "alice-secret", "{\"name\":\"alice-made\",\"partitions\":1}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("TOPIC_AUTHORIZATION_FAILED");
        assertThat(post("/api/topics", "admin", "admin-secret", "{\"name\":\"admin-made\",\"partitions\":1}").statusCode())
                .isEqualTo(201);
        HttpResponse<String> listing = get("/api/topics", "bob", "bob-secret");
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.body()).contains("orders-created").doesNotContain("payments").doesNotContain("admin-made");
        assertThat(get("/api/topics/payments/partitions/0/records", "bob", "bob-secret").statusCode()).isEqualTo(403);
    }

    private long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(client("admin", "admin-secret"))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(30, TimeUnit.SECONDS).offset();
        }
    }

    private KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> config = client(user, password);
        config.put("delivery.timeout.ms", 20_000);
        config.put("request.timeout.ms", 10_000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String user, String password, String group) {
        Map<String, Object> config = client(user, password);
        config.put("group.id", group);
        config.put("auto.offset.reset", "earliest");
        config.put("enable.auto.commit", false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private Map<String, Object> client(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "127.0.0.1:" + listener.port());
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "SCRAM-SHA-256");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        return config;
    }

    private static AclBinding allow(String user, AclOperation operation, ResourceType type, String name, PatternType pattern) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static AclBinding deny(String user, AclOperation operation, ResourceType type, String name, PatternType pattern) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.DENY));
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", basic(user, password)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String user, String password, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", basic(user, password)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
