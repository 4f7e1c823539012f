package io.tributary.client.test;

import java.util.Map;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Creates the database of an {@link EmbeddedPostgresDatabase} context. Without attributes all instances are
 * equal, so the annotation does not split the test context cache.
 */
record EmbeddedPostgresContextCustomizer() implements ContextCustomizer {

    static final String BEAN_NAME = "embeddedPostgresDatabase";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        PostgresServer server = SharedPostgresServer.get();
        EmbeddedPostgresServer.Database database = server.createDatabase(SharedPostgresServer.nextDatabaseName());
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        beanFactory.registerSingleton(BEAN_NAME, database);
        // Registered before the application's beans, so dropped after its connection pool has closed.
        ((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(BEAN_NAME,
                () -> server.dropDatabase(database.name()));
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(BEAN_NAME, Map.of(
                "spring.datasource.url", database.jdbcUrl(),
                "spring.datasource.username", database.username(),
                "spring.datasource.password", database.password())));
    }
}
