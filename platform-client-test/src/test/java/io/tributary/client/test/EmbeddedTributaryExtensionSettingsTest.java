package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Settings given to the extension reach the broker; nested classes share the top-level class's broker. */
class EmbeddedTributaryExtensionSettingsTest {

    @RegisterExtension
    static final EmbeddedTributaryExtension tributary =
            new EmbeddedTributaryExtension(Map.of("tributary.broker.num-partitions", "3"));

    private static EmbeddedTributaryBroker topLevelBroker;

    @BeforeAll
    static void rememberTheBroker(EmbeddedTributaryBroker broker) {
        topLevelBroker = broker;
    }

    @Test
    void topicsCreatedOnFirstUseGetTheConfiguredPartitionCount(EmbeddedTributaryBroker broker) throws Exception {
        EmbeddedTributaryExtensionTest.send(broker, "invoices", "invoice-1", "issued");

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicDescription invoices = admin.describeTopics(List.of("invoices")).allTopicNames().get().get("invoices");
            assertThat(invoices.partitions()).hasSize(3);
        }
    }

    @Nested
    class InANestedClass {

        @Test
        void theBrokerIsTheTopLevelClassBroker(EmbeddedTributaryBroker broker) {
            assertThat(broker).isSameAs(topLevelBroker);
        }
    }
}
