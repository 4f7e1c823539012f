package io.tributary.client.test;

import java.util.List;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Registered in {@code META-INF/spring.factories}; acts on test classes annotated {@link EmbeddedTributary}. */
class EmbeddedTributaryContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedTributary annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, EmbeddedTributary.class);
        if (annotation == null) {
            return null;
        }
        return new EmbeddedTributaryContextCustomizer(List.of(annotation.brokerProperties()),
                annotation.bootstrapServersProperty());
    }
}
