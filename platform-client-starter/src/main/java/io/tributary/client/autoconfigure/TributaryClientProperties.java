package io.tributary.client.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a service finds the Tributary cluster. Producer, consumer and listener settings join this
 * class with the client-starter issue.
 */
@ConfigurationProperties(prefix = "tributary")
public class TributaryClientProperties {

    /** Comma-separated host:port pairs of brokers used for the first connection. */
    private String bootstrapServers = "localhost:9092";

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }
}
