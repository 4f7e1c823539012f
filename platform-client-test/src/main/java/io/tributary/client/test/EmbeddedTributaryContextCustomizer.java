package io.tributary.client.test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.support.TestPropertySourceUtils;
import org.springframework.util.ClassUtils;

/**
 * Starts the broker of an {@link EmbeddedTributary} context, and registers its address as Spring Boot's
 * {@code KafkaConnectionDetails} (bean {@value #CONNECTION_DETAILS_BEAN_NAME}) and as a property. A record, because the test context cache keys
 * contexts on their customizers: equal annotation attributes share a context and so a broker.
 */
record EmbeddedTributaryContextCustomizer(List<String> brokerProperties, String bootstrapServersProperty)
        implements ContextCustomizer {

    static final String BEAN_NAME = "embeddedTributaryBroker";

    static final String CONNECTION_DETAILS_BEAN_NAME = "embeddedTributaryConnectionDetails";

    private static final String CONNECTION_DETAILS = "org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        Map<String, Object> settings = TestPropertySourceUtils.convertInlinedPropertiesToMap(
                brokerProperties.toArray(String[]::new));
        EmbeddedTributaryBroker broker = EmbeddedTributaryBroker.start(asStrings(settings));
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        beanFactory.registerSingleton(BEAN_NAME, broker);
        // Registered before any of the application's beans, so destroyed after them: consumers leave their
        // groups and producers flush while the broker is still there.
        ((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(BEAN_NAME, broker::stop);
        // Spring Boot's service-connection model: Boot's Kafka auto-configuration connects every client here,
        // whatever spring.kafka.bootstrap-servers or tributary.bootstrap-servers say.
        if (ClassUtils.isPresent(CONNECTION_DETAILS, context.getClassLoader())) {
            beanFactory.registerSingleton(CONNECTION_DETAILS_BEAN_NAME, EmbeddedTributaryConnectionDetails.of(broker));
        }
        // The property too, for code that reads the address (and for services without Boot's Kafka module).
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(BEAN_NAME,
                Map.of(bootstrapServersProperty, broker.bootstrapServers())));
    }

    private static Map<String, String> asStrings(Map<String, Object> settings) {
        return settings.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
}
