package io.tributary.broker.cluster;

/** A broker the cluster knows; a fenced one leads nothing and is out of every ISR until it registers again. */
public record BrokerRegistration(int nodeId, String host, int port, boolean fenced) {

    BrokerRegistration fence() {
        return new BrokerRegistration(nodeId, host, port, true);
    }
}
