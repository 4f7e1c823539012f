package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextCustomizer;

/** The test context cache shares a context, and so its broker and database, exactly when the customizers are equal. */
class ContextCustomizerFactoriesTest {

    @EmbeddedTributary(brokerProperties = "tributary.broker.num-partitions=3")
    @EmbeddedPostgresDatabase
    static class OneTest {
    }

    @EmbeddedTributary(brokerProperties = "tributary.broker.num-partitions=3")
    @EmbeddedPostgresDatabase
    static class AnotherTestWithTheSameSettings {
    }

    static class ASubclass extends OneTest {
    }

    @EmbeddedTributary(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
    static class AnotherProperty {
    }

    static class Plain {
    }

    private final EmbeddedTributaryContextCustomizerFactory tributary = new EmbeddedTributaryContextCustomizerFactory();
    private final EmbeddedPostgresContextCustomizerFactory postgres = new EmbeddedPostgresContextCustomizerFactory();

    @Test
    void equalAttributesMakeEqualCustomizers() {
        assertThat(tributary(OneTest.class)).isEqualTo(tributary(AnotherTestWithTheSameSettings.class))
                .isEqualTo(tributary(ASubclass.class))
                .hasSameHashCodeAs(tributary(AnotherTestWithTheSameSettings.class));
        assertThat(postgres(OneTest.class)).isEqualTo(postgres(AnotherTestWithTheSameSettings.class))
                .hasSameHashCodeAs(postgres(AnotherTestWithTheSameSettings.class));
    }

    @Test
    void otherAttributesMakeAnotherCustomizer() {
        assertThat(tributary(AnotherProperty.class)).isNotNull().isNotEqualTo(tributary(OneTest.class));
    }

    @Test
    void unannotatedTestsGetNone() {
        assertThat(tributary(Plain.class)).isNull();
        assertThat(postgres(Plain.class)).isNull();
        assertThat(postgres(AnotherProperty.class)).isNull();
    }

    private ContextCustomizer tributary(Class<?> testClass) {
        return tributary.createContextCustomizer(testClass, List.of());
    }

    private ContextCustomizer postgres(Class<?> testClass) {
        return postgres.createContextCustomizer(testClass, List.of());
    }
}
