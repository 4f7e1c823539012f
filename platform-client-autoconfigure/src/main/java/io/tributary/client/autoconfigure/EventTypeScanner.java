package io.tributary.client.autoconfigure;

import java.util.List;
import io.tributary.client.events.EventType;
import io.tributary.client.events.EventTypes;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/** Registers the {@link EventType}-annotated classes of the application's packages. */
final class EventTypeScanner {

    private EventTypeScanner() {
    }

    static void scan(BeanFactory beanFactory, EventTypes eventTypes) {
        if (!AutoConfigurationPackages.has(beanFactory)) {
            return;
        }
        List<String> packages = AutoConfigurationPackages.get(beanFactory);
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(EventType.class));
        ClassLoader classLoader = beanFactory.getClass().getClassLoader();
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                eventTypes.register(ClassUtils.resolveClassName(candidate.getBeanClassName(), classLoader));
            }
        }
    }
}
