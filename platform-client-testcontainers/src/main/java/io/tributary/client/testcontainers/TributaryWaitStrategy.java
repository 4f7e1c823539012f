package io.tributary.client.testcontainers;

import io.tributary.client.test.TestBrokerLaunch;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/** Ready when the broker answers at the Docker host and lists itself there, as {@link TestBrokerLaunch} checks it. */
final class TributaryWaitStrategy extends AbstractWaitStrategy {

    private final int port;

    TributaryWaitStrategy(int port) {
        this.port = port;
    }

    @Override
    protected void waitUntilReady() {
        TestBrokerLaunch.awaitReady(waitStrategyTarget.getHost() + ":" + port, startupTimeout);
    }
}
