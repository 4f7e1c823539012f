package io.tributary.broker.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Health checks of the broker, under {@code tributary.broker.health}. */
@ConfigurationProperties(prefix = "tributary.broker.health")
public class BrokerHealthProperties {

    /** Usable space the data directory's file system must have for the broker to report UP. */
    private DataSize minFreeSpace = DataSize.ofMegabytes(100);

    public DataSize getMinFreeSpace() {
        return minFreeSpace;
    }

    public void setMinFreeSpace(DataSize minFreeSpace) {
        this.minFreeSpace = minFreeSpace;
    }
}
