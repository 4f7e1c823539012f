package io.tributary.client.autoconfigure;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;

/**
 * Where the cluster is, from {@code tributary.bootstrap-servers}: Spring Boot's Kafka auto-configuration, the
 * admin client, the health indicator and the endpoint all connect there. Defined only when that property is set;
 * otherwise {@code spring.kafka.bootstrap-servers} (or a test's or Docker Compose's connection details) apply.
 * <p>
 * The security protocol and SSL bundle are {@code spring.kafka.*}'s, per client as Boot's own connection details
 * read them ({@code spring.kafka.producer.ssl.bundle} before {@code spring.kafka.ssl.bundle}, ...): Boot applies an
 * SSL bundle to the clients only through the connection details, so replacing Boot's would otherwise lose it.
 */
final class TributaryConnectionDetails implements KafkaConnectionDetails {

    private final List<String> bootstrapServers;
    private final KafkaProperties kafka;
    private final SslBundles sslBundles;

    /** {@code sslBundles} may be null where the application has none, as long as no bundle is named. */
    TributaryConnectionDetails(String bootstrapServers, KafkaProperties kafka, SslBundles sslBundles) {
        this.bootstrapServers = Arrays.stream(bootstrapServers.split(",")).map(String::trim)
                .filter(server -> !server.isEmpty()).toList();
        this.kafka = kafka;
        this.sslBundles = sslBundles;
    }

    @Override
    public List<String> getBootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public SslBundle getSslBundle() {
        return bundle(kafka.getSsl());
    }

    @Override
    public String getSecurityProtocol() {
        return kafka.getSecurity().getProtocol();
    }

    @Override
    public Configuration getProducer() {
        return configuration(kafka.getProducer().getSsl(), kafka.getProducer().getSecurity());
    }

    @Override
    public Configuration getConsumer() {
        return configuration(kafka.getConsumer().getSsl(), kafka.getConsumer().getSecurity());
    }

    @Override
    public Configuration getAdmin() {
        return configuration(kafka.getAdmin().getSsl(), kafka.getAdmin().getSecurity());
    }

    @Override
    public Configuration getStreams() {
        return configuration(kafka.getStreams().getSsl(), kafka.getStreams().getSecurity());
    }

    private Configuration configuration(KafkaProperties.Ssl ssl, KafkaProperties.Security security) {
        SslBundle bundle = bundle(ssl);
        String protocol = security.getProtocol();
        return Configuration.of(bootstrapServers, bundle != null ? bundle : getSslBundle(),
                StringUtils.hasLength(protocol) ? protocol : getSecurityProtocol());
    }

    private SslBundle bundle(KafkaProperties.Ssl ssl) {
        if (!StringUtils.hasLength(ssl.getBundle())) {
            return null;
        }
        if (sslBundles == null) {
            throw new IllegalStateException("SSL bundle '" + ssl.getBundle() + "' is named but the application has no"
                    + " SSL bundles (spring.ssl.bundle.*)");
        }
        return sslBundles.getBundle(ssl.getBundle());
    }

    @Override
    public String toString() {
        return "TributaryConnectionDetails" + bootstrapServers;
    }
}
