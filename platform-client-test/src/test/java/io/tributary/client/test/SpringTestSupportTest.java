package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * A service's test as services write them: a Spring Boot application with JDBC, pointed at an embedded broker
 * and an embedded PostgreSQL. Its {@code application.properties} carries settings that would break the broker
 * if the broker's own context read them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@EmbeddedTributary
@EmbeddedPostgresDatabase
class SpringTestSupportTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Service {
    }

    @Value("${tributary.bootstrap-servers}")
    String bootstrapServers;

    @Autowired
    EmbeddedTributaryBroker broker;

    @Autowired
    EmbeddedPostgresServer.Database database;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Test
    void bootstrapServersPointsAtARunningBroker() throws Exception {
        assertThat(bootstrapServers).isEqualTo("127.0.0.1:" + broker.port());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            assertThat(admin.describeCluster().nodes().get()).extracting(Node::port).containsExactly(broker.port());
        }
    }

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void springBootsKafkaClientsConnectToTheBrokerThroughItsConnectionDetails() {
        // application.properties points spring.kafka.bootstrap-servers elsewhere, secured: the connection details win.
        assertThat(environment.getProperty("spring.kafka.bootstrap-servers")).isEqualTo("192.0.2.1:1");
        assertThat(kafkaAdmin.getConfigurationProperties()).containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                java.util.List.of("127.0.0.1:" + broker.port()))
                .containsEntry(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        assertThat(kafkaAdmin.describeTopics()).isEmpty();
    }

    @Test
    void theDataSourceIsAFreshDatabaseOfItsOwn() {
        assertThat(jdbc.queryForObject("select 1", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select current_database()", String.class)).isEqualTo(database.name());

        jdbc.execute("create table invoice (id bigint primary key, amount numeric not null)");
        jdbc.update("insert into invoice (id, amount) values (?, ?)", 1L, 12.5);
        assertThat(jdbc.queryForObject("select count(*) from invoice", Integer.class)).isEqualTo(1);
    }

    @Test
    void theBrokerContextReadNoneOfTheServiceConfiguration() {
        assertThat(environment.getProperty("tributary.test.service-marker")).isEqualTo("read-by-the-service");

        ConfigurableApplicationContext brokerContext = broker.applicationContext();
        assertThat(brokerContext.getEnvironment().containsProperty("tributary.test.service-marker")).isFalse();
        assertThat(brokerContext.getEnvironment().getProperty("tributary.broker.max-connections")).isNull();
        assertThat(brokerContext.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(broker.port()).isPositive();
    }
}
