package io.tributary.client.autoconfigure;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.ForwardingAdmin;

/**
 * The service's admin client, whose {@link #close()} gives up after a few seconds: the plain client's waits
 * for every pending call, which delays a shutdown by a minute when the cluster does not answer.
 */
final class TributaryAdmin extends ForwardingAdmin {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    TributaryAdmin(Map<String, Object> configs) {
        super(configs);
    }

    @Override
    public void close() {
        close(CLOSE_TIMEOUT);
    }
}
