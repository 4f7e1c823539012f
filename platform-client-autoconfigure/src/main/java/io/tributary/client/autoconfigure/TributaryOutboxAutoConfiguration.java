package io.tributary.client.autoconfigure;

import javax.sql.DataSource;
import io.micrometer.observation.ObservationRegistry;
import io.tributary.client.events.EventCodec;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.outbox.Outbox;
import io.tributary.client.outbox.OutboxRelay;
import io.tributary.client.outbox.TributaryOutboxProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The transactional outbox of a service with a DataSource (PostgreSQL): the {@link Outbox} it appends events to
 * in its transactions, and the {@link OutboxRelay} that publishes them, unless
 * {@code tributary.outbox.relay-enabled=false} leaves that to other instances. The tables come from the
 * service's Flyway, with {@code classpath:db/tributary} among its locations.
 */
@AutoConfiguration(after = TributaryClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "tributary.outbox", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TributaryOutboxProperties.class)
public class TributaryOutboxAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventCodec.class)
    Outbox outbox(DataSource dataSource, EventCodec eventCodec, ObjectProvider<ObservationRegistry> observationRegistry) {
        return new Outbox(dataSource, eventCodec, observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(EventPublisher.class)
    @ConditionalOnProperty(prefix = "tributary.outbox", name = "relay-enabled", matchIfMissing = true)
    OutboxRelay outboxRelay(DataSource dataSource, EventPublisher eventPublisher,
            TributaryOutboxProperties properties, ObjectProvider<ObservationRegistry> observationRegistry) {
        return new OutboxRelay(dataSource, eventPublisher, properties,
                observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
    }
}
