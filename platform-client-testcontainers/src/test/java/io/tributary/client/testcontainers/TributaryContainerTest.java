package io.tributary.client.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.tributary.client.test.TestBrokerLaunch;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** What the container asks Docker for, checked without Docker. */
class TributaryContainerTest {

    @Test
    void theBrokerListensEverywhereOnAPortPublishedUnderTheSameNumberAndAdvertisesTheDockerHost() {
        TributaryContainer container = new TributaryContainer(DockerImageName.parse(TributaryContainer.DEFAULT_IMAGE), 39092)
                .withBrokerSetting("tributary.broker.num-partitions", "3");

        assertThat(container.getKafkaPort()).isEqualTo(39092);
        assertThat(container.getPortBindings()).singleElement().asString().startsWith("39092:39092");
        assertThat(container.command("docker-host.example")).containsSubsequence(
                "--tributary.broker.data-dir=" + TestBrokerLaunch.CONTAINER_DATA_DIR, "--tributary.broker.host=0.0.0.0",
                "--tributary.broker.port=39092", "--tributary.broker.advertised-host=docker-host.example",
                "--tributary.broker.num-partitions=3");
    }

    @Test
    void eachContainerGetsAFreePortOfItsOwn() {
        assertThat(new TributaryContainer().getKafkaPort()).isPositive()
                .isNotEqualTo(new TributaryContainer().getKafkaPort());
    }

    @Test
    void onlyTheBrokerImageOrADeclaredSubstituteIsAccepted() {
        assertThatIllegalStateException().isThrownBy(() -> new TributaryContainer("apache/kafka:4.1.2"));
        new TributaryContainer(DockerImageName.parse("registry.example/tributary-broker:1.0")
                .asCompatibleSubstituteFor("tributary/platform-broker"));
        new TributaryContainer("tributary/platform-broker:latest");
    }
}
