package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.config.BrokerConfiguration;
import io.tributary.broker.security.ScramUsers;
import io.tributary.broker.security.TestCertificates;

/** librdkafka (kcat) over SASL_SSL, trusting the broker through a PEM authority file. */
class KcatSecurityTest {

    private static final Duration KCAT_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static RunningBroker broker;
    private static Kcat kcat;
    private static TestCertificates certificates;

    @BeforeAll
    static void start() throws Exception {
        Path binary = Kcat.find().orElse(null);
        Assumptions.assumeTrue(binary != null, "kcat is not installed (apt-get install -y kcat)");
        kcat = Kcat.at(binary, dir);
        certificates = TestCertificates.create(dir.resolve("certs"));
        List<String> args = new ArrayList<>(List.of("--tributary.broker.listeners=PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0",
                "--tributary.broker.security.listener.sasl_ssl.ssl-bundle=broker"));
        args.addAll(certificates.bundleArgs("broker", "broker"));
        args.addAll(ScramUsers.bootstrapArgs(0, "kcat-user", "kcat-secret"));
        broker = RunningBroker.start(dir.resolve("data"), args.toArray(String[]::new));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:" + port("PLAINTEXT")))) {
            admin.createTopics(List.of(new NewTopic("kcat-secured", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void producesAndConsumesOverSaslSsl() {
        String mechanism = scramWorks() ? "SCRAM-SHA-512" : "PLAIN";
        kcat("first\nsecond\n", mechanism, "kcat-secret", "-P", "-t", "kcat-secured").assertSucceeded();
        Kcat.Result consumed = kcat("", mechanism, "kcat-secret", "-C", "-t", "kcat-secured", "-o", "beginning", "-e", "-q")
                .assertSucceeded();
        assertThat(consumed.stdout().lines()).containsExactly("first", "second");
    }

    /**
     * librdkafka before 2.6.1 repeats the client nonce in SCRAM's final message (librdkafka#4895), which
     * RFC 5802 forbids and Apache Kafka 4 refuses; Tributary refuses it alike rather than accept a
     * malformed exchange. Newer librdkafka authenticates.
     */
    @Test
    void scramFollowsKafka4WithEveryLibrdkafka() {
        Kcat.Result listed = kcat("", "SCRAM-SHA-512", "kcat-secret", "-L", "-m", "10");
        if (scramWorks()) {
            listed.assertSucceeded();
        } else {
            assertThat(listed.exitCode()).isNotZero();
            assertThat(listed.stderr()).contains("invalid credentials");
        }
    }

    @Test
    void aWrongPasswordFailsWithAnAuthenticationError() {
        Kcat.Result refused = kcat("", "PLAIN", "not-the-secret", "-L", "-m", "10");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).containsIgnoringCase("authentication");
    }

    /** Whether this librdkafka sends SCRAM's final nonce as RFC 5802 says: from 2.6.1 on. */
    private static boolean scramWorks() {
        return kcat.librdkafkaVersion().compareTo(Runtime.Version.parse("2.6.1")) >= 0;
    }

    private static Kcat.Result kcat(String stdin, String mechanism, String password, String... args) {
        List<String> all = new ArrayList<>(List.of("-b", "127.0.0.1:" + port("SASL_SSL"),
                "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=" + mechanism,
                "-X", "sasl.username=kcat-user", "-X", "sasl.password=" + password,
                "-X", "ssl.ca.location=" + certificates.caPem()));
        all.addAll(List.of(args));
        return kcat.run(KCAT_TIMEOUT, stdin, all.toArray(String[]::new));
    }

    private static int port(String listener) {
        return broker.context().getBean(BrokerConfiguration.KafkaListener.class).port(listener);
    }
}
