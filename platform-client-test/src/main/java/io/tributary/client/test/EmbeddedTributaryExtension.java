package io.tributary.client.test;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit Jupiter extension for tests without Spring: injects an {@link EmbeddedTributaryBroker} into test methods,
 * constructors and lifecycle methods. One broker per top-level test class, nested classes included, started at
 * the first injection and stopped after the class.
 * <pre>
 * &#64;ExtendWith(EmbeddedTributaryExtension.class)
 * class OrdersTopicTest {
 *     &#64;Test
 *     void roundTrip(EmbeddedTributaryBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * </pre>
 * With settings: {@code @RegisterExtension static EmbeddedTributaryExtension tributary =
 * new EmbeddedTributaryExtension(Map.of("tributary.broker.num-partitions", "3"));}
 */
public class EmbeddedTributaryExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedTributaryExtension.class);

    private final Map<String, String> settings;

    public EmbeddedTributaryExtension() {
        this(Map.of());
    }

    /** {@code settings} as for {@link EmbeddedTributaryBroker#start(Map)}. */
    public EmbeddedTributaryExtension(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedTributaryBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        // The store closes AutoCloseable values when its context ends, here after the top-level class.
        return topLevelClassContext(extensionContext).getStore(NAMESPACE)
                .computeIfAbsent(EmbeddedTributaryBroker.class, key -> EmbeddedTributaryBroker.start(settings),
                        EmbeddedTributaryBroker.class);
    }

    private static ExtensionContext topLevelClassContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            current = current.getParent().orElseThrow();
        }
        return current;
    }
}
