package io.tributary.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When tributary.broker.log-dir-failure stops the broker. */
class LogDirFailureTest {

    @Test
    void autoStopsOnlyABrokerOfAClusterThatRunsInAProcessOfItsOwn() {
        assertThat(LogDirFailure.AUTO.shutsDown(true, true)).isTrue();
        assertThat(LogDirFailure.AUTO.shutsDown(true, false)).as("embedded in a test's JVM").isFalse();
        assertThat(LogDirFailure.AUTO.shutsDown(false, true)).as("a single node: nobody to hand over to").isFalse();
        assertThat(LogDirFailure.SHUTDOWN.shutsDown(false, false)).isTrue();
        assertThat(LogDirFailure.OFFLINE.shutsDown(true, true)).isFalse();
    }
}
