package io.tributary.client.autoconfigure;

import javax.sql.DataSource;
import io.tributary.client.idempotent.IdempotentConsumer;
import io.tributary.client.idempotent.ProcessedEventCleaner;
import io.tributary.client.idempotent.TributaryIdempotenceProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@link IdempotentConsumer} of a service with a DataSource (PostgreSQL), on the service's transaction
 * manager so that it joins the transactions of its listeners, and the {@link ProcessedEventCleaner} that
 * forgets processed events after {@code tributary.idempotence.retention}. The table comes from the service's Flyway,
 * with {@code classpath:db/tributary} among its locations.
 */
@AutoConfiguration(after = TributaryClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "tributary.idempotence", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TributaryIdempotenceProperties.class)
public class TributaryIdempotenceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IdempotentConsumer idempotentConsumer(DataSource dataSource,
            ObjectProvider<PlatformTransactionManager> transactionManagers, TributaryIdempotenceProperties properties,
            Environment environment) {
        // The one transaction manager, or the primary; without any, one for the DataSource alone.
        PlatformTransactionManager transactionManager = transactionManagers
                .getIfUnique(() -> new DataSourceTransactionManager(dataSource));
        return new IdempotentConsumer(dataSource, transactionManager, consumer(properties, environment));
    }

    @Bean
    @ConditionalOnMissingBean
    ProcessedEventCleaner processedEventCleaner(DataSource dataSource, TributaryIdempotenceProperties properties) {
        return new ProcessedEventCleaner(dataSource, properties.getRetention());
    }

    // The consumer group (spring.kafka.consumer.group-id, whose platform default is the application name), so that by default an event
    // counts as processed for the group that received it.
    private static String consumer(TributaryIdempotenceProperties properties, Environment environment) {
        if (properties.getConsumer() != null) {
            return properties.getConsumer();
        }
        String groupId = environment.getProperty("spring.kafka.consumer.group-id");
        return groupId != null ? groupId : environment.getProperty("spring.application.name", "tributary-client");
    }
}
