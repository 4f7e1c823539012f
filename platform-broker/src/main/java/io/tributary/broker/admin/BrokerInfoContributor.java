package io.tributary.broker.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.TributaryBrokerApplication;
import io.tributary.broker.metadata.LocalBroker;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code broker} in {@code /actuator/info}: the version (the jar's implementation version, "dev"
 * when run from classes), node id, cluster id and the listeners clients are told to connect to.
 */
public final class BrokerInfoContributor implements InfoContributor {

    private final LocalBroker broker;

    public BrokerInfoContributor(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", version());
        details.put("nodeId", broker.nodeId());
        details.put("clusterId", broker.clusterId());
        details.put("listeners", broker.listeners().stream().map(Object::toString).toList());
        builder.withDetail("broker", details);
    }

    static String version() {
        String version = TributaryBrokerApplication.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }
}
