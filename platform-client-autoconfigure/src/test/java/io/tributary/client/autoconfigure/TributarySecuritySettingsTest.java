package io.tributary.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import io.tributary.broker.security.TestCertificates;

/**
 * {@code tributary.security.*} reaches the configs of every client Boot's Kafka auto-configuration builds, through
 * Boot's own settings, which win when the service sets them.
 */
class TributarySecuritySettingsTest {

    @TempDir
    static Path dir;

    static TestCertificates certificates;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withPropertyValues("spring.application.name=orders")
            .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(context.getEnvironment(),
                    new SpringApplication()))
            .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                    KafkaAutoConfiguration.class, SslAutoConfiguration.class));

    @BeforeAll
    static void createCertificates() {
        certificates = TestCertificates.create(dir);
    }

    @Test
    void scramOverTlsReachesProducersConsumersAndTheAdminClient() {
        contextRunner.withPropertyValues(secured("tributary.security.protocol=SASL_SSL",
                "tributary.security.sasl.username=orders-service", "tributary.security.sasl.password=s3cret",
                "tributary.security.ssl.bundle=cluster")).run(context -> {
                    String jaas = ScramLoginModule.class.getName()
                            + " required username=\"orders-service\" password=\"s3cret\";";
                    for (Map<String, Object> client : clientConfigs(context)) {
                        assertThat(client).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                                .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, jaas);
                        assertUsesBundle(context, client, "cluster");
                    }
                });
    }

    @Test
    void theBundleAlsoReachesTheClientsWhenTributaryBootstrapServersReplaceBootsConnectionDetails() {
        contextRunner.withPropertyValues(secured("tributary.bootstrap-servers=127.0.0.1:29093",
                "tributary.security.protocol=SSL", "tributary.security.ssl.bundle=cluster")).run(context -> {
                    assertThat(context).getBean("tributaryConnectionDetails").isInstanceOf(TributaryConnectionDetails.class);
                    for (Map<String, Object> client : clientConfigs(context)) {
                        assertThat(client).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL")
                                .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, List.of("127.0.0.1:29093"))
                                .doesNotContainKeys(SaslConfigs.SASL_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG);
                        assertUsesBundle(context, client, "cluster");
                    }
                });
    }

    @Test
    void plainLogsInWithPlainsLoginModuleAndAPasswordOfAnyCharactersArrivesAsWritten() {
        // As written in application.properties: "\${" keeps a "${" from being read as a placeholder.
        String written = "a \"quoted\" pass\\word; with \\${spring.application.name} = 1";
        String password = "a \"quoted\" pass\\word; with ${spring.application.name} = 1";
        contextRunner.withPropertyValues("tributary.security.protocol=SASL_PLAINTEXT",
                "tributary.security.sasl.mechanism=plain", "tributary.security.sasl.username=orders \"svc\"",
                "tributary.security.sasl.password=" + written)
                .run(context -> {
                    for (Map<String, Object> client : clientConfigs(context)) {
                        assertThat(client).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT")
                                .containsEntry(SaslConfigs.SASL_MECHANISM, "PLAIN")
                                .doesNotContainKeys(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG);
                        JaasContext jaas = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG,
                                new Password((String) client.get(SaslConfigs.SASL_JAAS_CONFIG))));
                        assertThat(jaas.configurationEntries()).singleElement().satisfies(entry -> {
                            assertThat(entry.getLoginModuleName()).isEqualTo(PlainLoginModule.class.getName());
                            assertThat(entry.getOptions().get("username")).isEqualTo("orders \"svc\"");
                            assertThat(entry.getOptions().get("password")).isEqualTo(password);
                        });
                    }
                });
    }

    @Test
    void springKafkaSettingsTheServiceSetsWin() {
        String ownJaas = PlainLoginModule.class.getName() + " required username=\"own\" password=\"own-secret\";";
        contextRunner.withPropertyValues(secured("tributary.security.protocol=SASL_SSL",
                "tributary.security.sasl.username=orders-service", "tributary.security.sasl.password=s3cret",
                "tributary.security.ssl.bundle=cluster", "spring.kafka.security.protocol=SASL_PLAINTEXT",
                "spring.kafka.properties.sasl.mechanism=PLAIN", "spring.kafka.properties.sasl.jaas.config=" + ownJaas,
                "spring.kafka.ssl.bundle=other", "spring.kafka.admin.security.protocol=SSL")).run(context -> {
                    List<Map<String, Object>> clients = clientConfigs(context);
                    for (Map<String, Object> client : clients) {
                        assertThat(client).containsEntry(SaslConfigs.SASL_MECHANISM, "PLAIN")
                                .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, ownJaas);
                        assertUsesBundle(context, client, "other");
                    }
                    assertThat(clients.get(0)).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
                    assertThat(clients.get(1)).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
                    assertThat(clients.get(2)).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
                });
    }

    @Test
    void nothingSetAddsNothing() {
        contextRunner.run(context -> {
            for (Map<String, Object> client : clientConfigs(context)) {
                assertThat(client).doesNotContainKeys(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                        SaslConfigs.SASL_MECHANISM, SaslConfigs.SASL_JAAS_CONFIG, SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG,
                        SslBundle.class.getName());
            }
        });
    }

    @Test
    void withoutAUsernameOnlyTheMechanismIsSetAndTheServiceLogsInItsOwnWay() {
        String ownJaas = ScramLoginModule.class.getName() + " required username=\"own\" password=\"own-secret\";";
        contextRunner.withPropertyValues("tributary.security.protocol=SASL_SSL",
                "tributary.security.sasl.mechanism=SCRAM-SHA-256", "spring.kafka.properties.sasl.jaas.config=" + ownJaas)
                .run(context -> {
                    for (Map<String, Object> client : clientConfigs(context)) {
                        assertThat(client).containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256")
                                .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, ownJaas);
                    }
                });
    }

    @Test
    void aUsernameWithoutAPasswordOrAMechanismWithoutALoginModuleStopsTheStart() {
        contextRunner.withPropertyValues("tributary.security.protocol=SASL_SSL", "tributary.security.sasl.username=orders")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("tributary.security.sasl.password"));
        contextRunner.withPropertyValues("tributary.security.protocol=SASL_SSL", "tributary.security.sasl.username=orders",
                "tributary.security.sasl.password=x", "tributary.security.sasl.mechanism=GSSAPI")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasMessageContaining("tributary.security.sasl.mechanism=GSSAPI is not supported"));
    }

    @Test
    void switchedOffTheClientGetsNoneOfIt() {
        contextRunner.withPropertyValues("tributary.client.enabled=false", "tributary.security.protocol=SASL_SSL",
                "tributary.security.sasl.username=orders", "tributary.security.sasl.password=x")
                .run(context -> assertThat(clientConfigs(context).get(0))
                        .doesNotContainKeys(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SaslConfigs.SASL_JAAS_CONFIG));
    }

    /** The settings plus the SSL bundles "cluster" and "other", both trusting the test authority. */
    private static String[] secured(String... settings) {
        List<String> all = new ArrayList<>(List.of(settings));
        all.addAll(certificates.trustBundleProperties("cluster"));
        all.addAll(certificates.trustBundleProperties("other"));
        return all.toArray(String[]::new);
    }

    private static void assertUsesBundle(AssertableApplicationContext context, Map<String, Object> client, String bundle) {
        assertThat(client).containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class)
                .containsEntry(SslBundle.class.getName(), context.getBean(SslBundles.class).getBundle(bundle));
    }

    /** The producer's, the consumer's and the admin client's, in that order. */
    private static List<Map<String, Object>> clientConfigs(AssertableApplicationContext context) {
        return List.of(((DefaultKafkaProducerFactory<?, ?>) context.getBean(ProducerFactory.class)).getConfigurationProperties(),
                context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties(),
                context.getBean(KafkaAdmin.class).getConfigurationProperties());
    }
}
