package io.tributary.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.config.BrokerConfiguration;

/**
 * KIP-368 with {@code connections.max.reauth.ms}: kafka-clients are told their session's lifetime and
 * authenticate again on the same connection while they keep working; a client that does not is
 * closed at its next request once the session is over.
 */
class ReauthenticationTest {

    @TempDir
    static Path dir;

    private static RunningBroker broker;

    @BeforeAll
    static void start() throws Exception {
        List<String> args = new ArrayList<>(List.of("--tributary.broker.listeners=SASL_PLAINTEXT://127.0.0.1:0",
                "--tributary.broker.security.connections-max-reauth=1s"));
        args.addAll(ScramUsers.bootstrapArgs(0, "alice", "alice-secret"));
        broker = RunningBroker.start(dir, args.toArray(String[]::new));
        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic("reauthenticated", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aProducerAuthenticatesAgainOnItsConnectionAndKeepsProducing() throws Exception {
        double before = reauthentications();
        AtomicInteger sent = new AtomicInteger();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(client(), new StringSerializer(), new StringSerializer())) {
            // Sending on and on for several session lifetimes: every send succeeds, and the broker counts
            // re-authentications on open connections (not new connections authenticating afresh).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                producer.send(new ProducerRecord<>("reauthenticated", "k", "v-" + sent.incrementAndGet())).get(10, TimeUnit.SECONDS);
                return reauthentications() - before >= 2;
            });
        }
        assertThat(sent.get()).isPositive();
    }

    @Test
    void aClientThatDoesNotAuthenticateAgainIsClosedOnceItsSessionIsOver() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
            socket.setSoTimeout(10_000);
            call(socket, new SaslHandshakeRequest.Builder(new SaslHandshakeRequestData().setMechanism("PLAIN")).build((short) 1), 1);
            SaslAuthenticateResponse authenticated = (SaslAuthenticateResponse) call(socket, new SaslAuthenticateRequest.Builder(
                    new SaslAuthenticateRequestData().setAuthBytes("\0alice\0alice-secret".getBytes())).build((short) 2), 2);
            assertThat(authenticated.data().errorCode()).isZero();
            assertThat(authenticated.data().sessionLifetimeMs()).isEqualTo(1000);
            long expiry = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(authenticated.data().sessionLifetimeMs());
            await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - expiry > 0);
            RequestHeader header = new RequestHeader(ApiKeys.METADATA, (short) 12, "late", 3);
            send(socket, new MetadataRequest(new MetadataRequestData(), (short) 12).serializeWithHeader(header));
            try {
                assertThat(new DataInputStream(socket.getInputStream()).read()).isEqualTo(-1);
            } catch (SocketException | EOFException closed) {
                // closed
            }
        }
    }

    private static AbstractResponse call(Socket socket, AbstractRequest request, int correlationId) throws Exception {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw", correlationId);
        send(socket, request.serializeWithHeader(header));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
    }

    private static void send(Socket socket, ByteBuffer frame) throws Exception {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static double reauthentications() {
        return broker.context().getBean(MeterRegistry.class).find("tributary.authentication").tag("result", "success")
                .tag("kind", "reauthentication").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static int port() {
        return broker.context().getBean(BrokerConfiguration.KafkaListener.class).port();
    }

    private static Map<String, Object> client() {
        return Map.of("bootstrap.servers", "127.0.0.1:" + port(), "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-256", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"alice-secret\";");
    }
}
