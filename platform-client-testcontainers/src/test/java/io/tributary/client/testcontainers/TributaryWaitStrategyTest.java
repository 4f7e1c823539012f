package io.tributary.client.testcontainers;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.List;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.tributary.client.test.EmbeddedTributaryBroker;
import io.tributary.client.test.EmbeddedTributaryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.wait.strategy.WaitStrategyTarget;

/**
 * The container's readiness check is the embedded broker's: run here against a real broker in this JVM, posing as
 * a container on the Docker host 127.0.0.1.
 */
@ExtendWith(EmbeddedTributaryExtension.class)
class TributaryWaitStrategyTest {

    @Test
    void readyOnceTheBrokerAnswersAndListsItselfAtTheDockerHost(EmbeddedTributaryBroker broker) {
        new TributaryWaitStrategy(broker.port()).withStartupTimeout(Duration.ofSeconds(30))
                .waitUntilReady(dockerHost("127.0.0.1"));
    }

    @Test
    void aBrokerReachedUnderAnotherNameThanItAdvertisesIsNotReady(EmbeddedTributaryBroker broker) {
        assertThatIllegalStateException().isThrownBy(() -> new TributaryWaitStrategy(broker.port())
                .withStartupTimeout(Duration.ofSeconds(30)).waitUntilReady(dockerHost("localhost")))
                .withMessageContaining("advertises itself as [127.0.0.1:" + broker.port() + "]");
    }

    @Test
    void notReadyWhileNothingAnswers() {
        assertThatIllegalStateException().isThrownBy(() -> new TributaryWaitStrategy(1)
                .withStartupTimeout(Duration.ofSeconds(1)).waitUntilReady(dockerHost("127.0.0.1")))
                .withMessageContaining("did not answer");
    }

    private static WaitStrategyTarget dockerHost(String host) {
        return new WaitStrategyTarget() {
            @Override
            public String getHost() {
                return host;
            }

            @Override
            public List<Integer> getExposedPorts() {
                return List.of();
            }

            @Override
            public InspectContainerResponse getContainerInfo() {
                throw new AssertionError("the readiness check asks the broker, never Docker");
            }
        };
    }
}
