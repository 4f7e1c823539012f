package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.config.BrokerConfiguration;

/**
 * One broker with a listener of every security protocol, used by the official Kafka clients as
 * their users configure them: SCRAM and PLAIN over TLS and over plaintext, mutual TLS, and the
 * ways a client gets it wrong.
 */
class SecureListenersTest {

    private static final String PASSWORD = "alice-secret";

    @TempDir
    static Path dir;

    static TestCertificates certificates;
    static RunningBroker broker;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(dir.resolve("certs"));
        certificates.signed("alice", "CN=alice,OU=clients");
        List<String> args = new ArrayList<>(List.of(
                "--tributary.broker.listeners=PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0,SSL://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
                "--tributary.broker.security.listener.sasl_ssl.ssl-bundle=broker",
                "--tributary.broker.security.listener.ssl.ssl-bundle=broker",
                "--tributary.broker.security.listener.ssl.ssl-client-auth=required",
                "--tributary.broker.security.ssl-principal-mapping-rules=RULE:^CN=(.*?),OU=.*$/$1/,DEFAULT",
                "--tributary.broker.security.connection-failed-authentication-delay=10ms"));
        args.addAll(certificates.bundleArgs("broker", "broker"));
        args.addAll(ScramUsers.bootstrapArgs(0, "alice", PASSWORD));
        broker = RunningBroker.start(dir.resolve("data"), args.toArray(String[]::new));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap("PLAINTEXT")))) {
            admin.createTopics(List.of(new NewTopic("secured", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void scramSha512OverTlsProducesAndConsumes() throws Exception {
        Map<String, Object> client = sasl("SASL_SSL", "SCRAM-SHA-512", "alice", PASSWORD);
        roundTrip(client, "scram-512");
    }

    @Test
    void scramSha256OverPlaintextAndPlainOverTlsAuthenticateTheSameUser() throws Exception {
        roundTrip(sasl("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", PASSWORD), "scram-256");
        roundTrip(sasl("SASL_SSL", "PLAIN", "alice", PASSWORD), "plain");
    }

    @Test
    void mutualTlsProducesAndConsumes() throws Exception {
        Map<String, Object> client = tls("SSL");
        client.put("ssl.keystore.location", certificates.keyStore("alice").toString());
        client.put("ssl.keystore.type", "PKCS12");
        client.put("ssl.keystore.password", TestCertificates.PASSWORD);
        roundTrip(client, "mtls");
    }

    @Test
    void metadataAnswersWithTheEndpointsOfTheClientsListener() throws Exception {
        try (Admin admin = Admin.create(sasl("SASL_SSL", "SCRAM-SHA-512", "alice", PASSWORD))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes).extracting(Node::port).containsExactly(port("SASL_SSL"));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap("PLAINTEXT")))) {
            List<Node> nodes = new ArrayList<>(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS));
            assertThat(nodes).extracting(Node::port).containsExactly(port("PLAINTEXT"));
        }
    }

    @Test
    void aWrongPasswordAndAnUnknownUserFailAlikeAndTheBrokerServesOthers() throws Exception {
        for (Map<String, Object> wrong : List.of(sasl("SASL_SSL", "SCRAM-SHA-512", "alice", "not-her-password"),
                sasl("SASL_SSL", "SCRAM-SHA-512", "mallory", PASSWORD), sasl("SASL_PLAINTEXT", "PLAIN", "alice", "wrong"))) {
            try (Admin admin = Admin.create(wrong)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class)
                        .cause().hasMessageContaining("Authentication failed during authentication due to invalid credentials");
            }
        }
        roundTrip(sasl("SASL_SSL", "SCRAM-SHA-512", "alice", PASSWORD), "after-failures");
    }

    @Test
    void aClientWithoutACertificateIsRefusedWhereOneIsRequired() {
        Map<String, Object> client = tls("SSL");
        client.put("request.timeout.ms", 5000);
        client.put("default.api.timeout.ms", 10000);
        try (Admin admin = Admin.create(client)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheBrokerIsRefused() {
        Map<String, Object> client = sasl("SASL_SSL", "SCRAM-SHA-512", "alice", PASSWORD);
        client.remove("ssl.truststore.location");
        client.remove("ssl.truststore.type");
        client.remove("ssl.truststore.password");
        try (Admin admin = Admin.create(client)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void plaintextOnATlsPortAndTlsOnAPlaintextPortFailWithoutHarm() throws Exception {
        Map<String, Object> plaintextOnTls = new HashMap<>(Map.of("bootstrap.servers", bootstrap("SASL_SSL"),
                "request.timeout.ms", 2000, "default.api.timeout.ms", 4000, "socket.connection.setup.timeout.max.ms", 2000));
        try (Admin admin = Admin.create(plaintextOnTls)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        Map<String, Object> tlsOnPlaintext = tls("SSL");
        tlsOnPlaintext.put("bootstrap.servers", bootstrap("PLAINTEXT"));
        tlsOnPlaintext.put("default.api.timeout.ms", 4000);
        tlsOnPlaintext.put("request.timeout.ms", 2000);
        try (Admin admin = Admin.create(tlsOnPlaintext)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        roundTrip(sasl("SASL_SSL", "SCRAM-SHA-512", "alice", PASSWORD), "after-protocol-mixups");
    }

    @Test
    void beforeAuthenticationOnlyTheSaslApisAndApiVersionsAreServed() throws Exception {
        // Metadata first: the connection closes without an answer.
        try (Socket socket = connect("SASL_PLAINTEXT")) {
            RequestHeader header = new RequestHeader(ApiKeys.METADATA, (short) 12, "stranger", 1);
            ByteBuffer frame = new MetadataRequest(new MetadataRequestData(), (short) 12).serializeWithHeader(header);
            send(socket, frame);
            assertClosed(socket);
        }
        // A length prefix of 1 GiB: closed at once, nothing read or allocated for it.
        try (Socket socket = connect("SASL_PLAINTEXT")) {
            new DataOutputStream(socket.getOutputStream()).writeInt(1 << 30);
            assertClosed(socket);
        }
        // 600 KiB, under socket.request.max.bytes but over the pre-authentication limit.
        try (Socket socket = connect("SASL_PLAINTEXT")) {
            new DataOutputStream(socket.getOutputStream()).writeInt(600 * 1024);
            assertClosed(socket);
        }
        // Random bytes.
        try (Socket socket = connect("SASL_PLAINTEXT")) {
            byte[] noise = "GET / HTTP/1.1\r\nHost: broker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(noise);
            assertClosed(socket);
        }
        roundTrip(sasl("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", PASSWORD), "after-strangers");
    }

    /** SaslHandshake v0, as clients from before KIP-152 do: bare SASL tokens follow, then Kafka requests. */
    @Test
    void aLegacyHandshakeIsFollowedByBareTokens() throws Exception {
        try (Socket socket = connect("SASL_PLAINTEXT")) {
            RequestHeader handshake = new RequestHeader(ApiKeys.SASL_HANDSHAKE, (short) 0, "legacy", 1);
            send(socket, new org.apache.kafka.common.requests.SaslHandshakeRequest.Builder(
                    new org.apache.kafka.common.message.SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 0)
                    .serializeWithHeader(handshake));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            in.readFully(new byte[in.readInt()]);
            send(socket, ByteBuffer.wrap(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            assertThat(in.readInt()).as("the bare, empty final challenge").isZero();
            RequestHeader metadata = new RequestHeader(ApiKeys.METADATA, (short) 12, "legacy", 2);
            send(socket, new MetadataRequest(new MetadataRequestData(), (short) 12).serializeWithHeader(metadata));
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            org.apache.kafka.common.requests.MetadataResponse answer = (org.apache.kafka.common.requests.MetadataResponse)
                    org.apache.kafka.common.requests.AbstractResponse.parseResponse(ByteBuffer.wrap(response), metadata);
            assertThat(answer.brokers()).isNotEmpty();
        }
    }

    @Test
    void everyOtherApiBeforeAuthenticationClosesTheConnection() throws Exception {
        for (ApiKeys api : ApiKeys.values()) {
            if (api == ApiKeys.API_VERSIONS || api == ApiKeys.SASL_HANDSHAKE || api == ApiKeys.SASL_AUTHENTICATE) {
                continue;
            }
            try (Socket socket = connect("SASL_PLAINTEXT")) {
                // Only the header: the broker must refuse on the API key alone, before reading a body.
                ByteBuffer header = ByteBuffer.allocate(10).putShort(api.id).putShort(api.latestVersion()).putInt(7)
                        .putShort((short) -1);
                send(socket, header.flip());
                assertClosed(socket);
            }
        }
        roundTrip(sasl("SASL_PLAINTEXT", "SCRAM-SHA-256", "alice", PASSWORD), "after-every-api");
    }

    @Test
    void randomBytesBeforeAuthenticationCloseTheConnectionAndOthersAreServed() throws Exception {
        java.util.Random random = new java.util.Random(20261202L);
        List<Socket> strangers = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                Socket socket = connect(i % 2 == 0 ? "SASL_PLAINTEXT" : "SASL_SSL");
                strangers.add(socket);
                byte[] noise = new byte[1 + random.nextInt(2048)];
                random.nextBytes(noise);
                socket.getOutputStream().write(noise);
            }
            // While the strangers' connections are being dealt with, a real client is served.
            roundTrip(sasl("SASL_SSL", "SCRAM-SHA-512", "alice", PASSWORD), "among-strangers");
            for (Socket socket : strangers) {
                assertClosedOrSilent(socket);
            }
        } finally {
            for (Socket socket : strangers) {
                socket.close();
            }
        }
    }

    private static void roundTrip(Map<String, Object> client, String key) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("secured", key, "value-" + key)).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumerConfig = new HashMap<>(client);
        consumerConfig.put("enable.auto.commit", false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("secured", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> keys = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
                return keys.contains(key);
            });
        }
    }

    private static Map<String, Object> sasl(String listener, String mechanism, String user, String password) {
        Map<String, Object> config = listener.endsWith("SSL") ? tls(listener) : new HashMap<>(Map.of("bootstrap.servers",
                bootstrap(listener), "security.protocol", listener));
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        config.put("sasl.mechanism", mechanism);
        config.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        return config;
    }

    private static Map<String, Object> tls(String listener) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap(listener));
        config.put("security.protocol", listener);
        config.put("ssl.truststore.location", certificates.trustStore().toString());
        config.put("ssl.truststore.type", "PKCS12");
        config.put("ssl.truststore.password", TestCertificates.PASSWORD);
        return config;
    }

    private static String bootstrap(String listener) {
        return "127.0.0.1:" + port(listener);
    }

    private static int port(String listener) {
        return broker.context().getBean(BrokerConfiguration.KafkaListener.class).port(listener);
    }

    private static Socket connect(String listener) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port(listener)), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, ByteBuffer frame) throws IOException {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    /**
     * Random bytes may happen to announce a small frame the broker is still waiting for; such a
     * connection is closed by the idle timer, not at once. Every other one must be closed.
     */
    private static void assertClosedOrSilent(Socket socket) throws IOException {
        socket.setSoTimeout(3000);
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketException reset) {
            // closed with unread input
        } catch (java.net.SocketTimeoutException waiting) {
            // a frame not yet complete: nothing was answered, nothing large allocated
        }
    }

    /** The broker closed the connection: a read ends (or is reset) rather than timing out. */
    private static void assertClosed(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (SocketException reset) {
            // closed with unread input: a reset
        } catch (EOFException ended) {
            // closed
        }
    }
}
