package io.tributary.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import io.tributary.client.events.EventCodec;
import io.tributary.client.idempotent.IdempotentConsumer;
import io.tributary.client.idempotent.ProcessedEventCleaner;
import io.tributary.client.outbox.Outbox;
import io.tributary.client.outbox.OutboxRelay;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** When the outbox, its relay and the idempotent consumer are there, and when they back off. */
class TributaryOutboxAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(context.getEnvironment(),
                    new org.springframework.boot.SpringApplication()))
            .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                    org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration.class,
                    TributaryOutboxAutoConfiguration.class, TributaryIdempotenceAutoConfiguration.class))
            // Nothing listens there: the relay's passes fail and back off, which these tests do not mind.
            .withPropertyValues("tributary.bootstrap-servers=127.0.0.1:1", "tributary.outbox.poll-interval=1m");

    private final ApplicationContextRunner withDataSource = contextRunner.withBean(DataSource.class,
            () -> new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"));

    @Test
    void aServiceWithoutDataSourceHasNeitherOutboxNorIdempotentConsumer() {
        contextRunner.run(context -> assertThat(context).hasSingleBean(EventCodec.class)
                .doesNotHaveBean(Outbox.class).doesNotHaveBean(OutboxRelay.class)
                .doesNotHaveBean(IdempotentConsumer.class));
    }

    @Test
    void aServiceWithDataSourceHasTheOutboxItsRelayAndAnIdempotentConsumer() {
        withDataSource.run(context -> assertThat(context).hasSingleBean(Outbox.class)
                .hasSingleBean(OutboxRelay.class).hasSingleBean(IdempotentConsumer.class)
                .hasSingleBean(ProcessedEventCleaner.class));
    }

    @Test
    void theRelayCanRunElsewhere() {
        withDataSource.withPropertyValues("tributary.outbox.relay-enabled=false").run(context -> assertThat(context)
                .hasSingleBean(Outbox.class).doesNotHaveBean(OutboxRelay.class));
    }

    @Test
    void theOutboxCanBeTurnedOffWithoutTheIdempotentConsumer() {
        withDataSource.withPropertyValues("tributary.outbox.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(Outbox.class).doesNotHaveBean(OutboxRelay.class)
                .hasSingleBean(IdempotentConsumer.class));
    }

    @Test
    void theIdempotentConsumerCanBeTurnedOff() {
        withDataSource.withPropertyValues("tributary.idempotence.enabled=false").run(context -> assertThat(context)
                .hasSingleBean(Outbox.class).doesNotHaveBean(IdempotentConsumer.class)
                .doesNotHaveBean(ProcessedEventCleaner.class));
    }

    @Test
    void withoutTheKafkaClientThereIsNoOutboxButStillAnIdempotentConsumer() {
        withDataSource.withPropertyValues("tributary.client.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(Outbox.class).doesNotHaveBean(OutboxRelay.class)
                .hasSingleBean(IdempotentConsumer.class));
    }

    @Test
    void theServicesOwnBeansWin() {
        withDataSource.withBean("myOutbox", Outbox.class, () -> new Outbox(new DriverManagerDataSource(), null))
                .withBean("myIdempotentConsumer", IdempotentConsumer.class,
                        () -> new IdempotentConsumer(new DriverManagerDataSource(), null, "mine"))
                .run(context -> assertThat(context).getBean(Outbox.class).isSameAs(context.getBean("myOutbox")))
                .run(context -> assertThat(context.getBean(IdempotentConsumer.class).consumer()).isEqualTo("mine"));
    }

    @Test
    void eventsCountAsProcessedPerConsumerGroupByDefault() {
        withDataSource.withPropertyValues("spring.application.name=billing", "spring.kafka.consumer.group-id=invoicing")
                .run(context -> assertThat(context.getBean(IdempotentConsumer.class).consumer()).isEqualTo("invoicing"));
        withDataSource.withPropertyValues("spring.application.name=billing")
                .run(context -> assertThat(context.getBean(IdempotentConsumer.class).consumer()).isEqualTo("billing"));
        withDataSource.withPropertyValues("spring.application.name=billing", "tributary.idempotence.consumer=audit")
                .run(context -> assertThat(context.getBean(IdempotentConsumer.class).consumer()).isEqualTo("audit"));
    }
}
