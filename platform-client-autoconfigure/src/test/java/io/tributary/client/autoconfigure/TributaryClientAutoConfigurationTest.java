package io.tributary.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TributaryClientAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class));

    @Test
    void bootstrapServersDefaultToTheLocalBroker() {
        contextRunner.run(context -> assertThat(context.getBean(TributaryClientProperties.class).getBootstrapServers())
                .isEqualTo("localhost:9092"));
    }

    @Test
    void bootstrapServersComeFromTheEnvironment() {
        contextRunner.withPropertyValues("tributary.bootstrap-servers=broker-1:9092,broker-2:9092")
                .run(context -> assertThat(context.getBean(TributaryClientProperties.class).getBootstrapServers())
                        .isEqualTo("broker-1:9092,broker-2:9092"));
    }
}
