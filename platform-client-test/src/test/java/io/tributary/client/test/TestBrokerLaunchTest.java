package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

/**
 * The start-up logic an embedded broker and a container share: settings, command line, and the readiness check
 * that also catches a wrongly advertised address.
 */
class TestBrokerLaunchTest {

    @Test
    void anEmbeddedBrokerListensOnLoopbackWithTheCallersSettingsLast() {
        Map<String, String> settings = TestBrokerLaunch.embedded("/tmp/data", 0,
                Map.of("tributary.broker.num-partitions", "3", "tributary.broker.group.initial-rebalance-delay", "1s"));
        assertThat(settings).containsEntry("tributary.broker.host", "127.0.0.1")
                .containsEntry("tributary.broker.port", "0")
                .containsEntry("tributary.broker.data-dir", "/tmp/data")
                .containsEntry("tributary.broker.num-partitions", "3")
                .containsEntry("tributary.broker.group.initial-rebalance-delay", "1s")
                .doesNotContainKey("tributary.broker.advertised-host");
    }

    @Test
    void aContainerBrokerListensEverywhereAndAdvertisesTheDockerHostOnThePublishedPort() {
        Map<String, String> settings = TestBrokerLaunch.container(39092, "docker-host.example", Map.of());
        assertThat(settings).containsEntry("tributary.broker.host", "0.0.0.0")
                .containsEntry("tributary.broker.port", "39092")
                .containsEntry("tributary.broker.advertised-host", "docker-host.example")
                .containsEntry("tributary.broker.data-dir", TestBrokerLaunch.CONTAINER_DATA_DIR)
                .containsEntry("tributary.broker.group.initial-rebalance-delay", "0ms");
        assertThat(TestBrokerLaunch.arguments(settings)).contains("--tributary.broker.host=0.0.0.0",
                "--tributary.broker.port=39092", "--tributary.broker.advertised-host=docker-host.example")
                .hasSize(settings.size());
    }

    @Test
    void aBrokerThatAdvertisesAnotherAddressIsNotReady() {
        TestBrokerLaunch.checkAdvertised("localhost:9092", List.of(new Node(0, "localhost", 9092)));
        assertThatIllegalStateException()
                .isThrownBy(() -> TestBrokerLaunch.checkAdvertised("localhost:39092", List.of(new Node(0, "broker-0", 9092))))
                .withMessageContaining("advertises itself as [broker-0:9092]");
    }

    @Test
    void aBrokerStartedWithAWrongAdvertisedHostFailsToStartWithTheReason() {
        assertThatIllegalStateException()
                .isThrownBy(() -> EmbeddedTributaryBroker.start(Map.of("tributary.broker.advertised-host", "127.0.0.2")))
                .withMessageContaining("advertises itself as [127.0.0.2:");
    }

    @Test
    void nothingListeningIsNotReady() {
        assertThatIllegalStateException().isThrownBy(() -> TestBrokerLaunch.awaitReady("127.0.0.1:1", Duration.ofSeconds(1)))
                .withMessageContaining("did not answer within PT1S");
    }
}
