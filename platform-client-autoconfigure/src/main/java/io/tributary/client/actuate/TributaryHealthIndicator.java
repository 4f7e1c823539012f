package io.tributary.client.actuate;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when the cluster answers describeCluster in time, with its id and brokers; DOWN with the reason otherwise,
 * said plainly (with the setting to check) when the cluster refused the credentials or the TLS handshake failed.
 */
public class TributaryHealthIndicator extends AbstractHealthIndicator {

    private final Admin admin;
    private final Duration timeout;

    public TributaryHealthIndicator(Admin admin, Duration timeout) {
        super("Tributary cluster is not reachable");
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(
                new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        try {
            String clusterId = cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Collection<Node> nodes = cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            builder.up()
                    .withDetail("clusterId", clusterId)
                    .withDetail("brokers", nodes.stream().map(n -> n.id() + "@" + n.host() + ":" + n.port()).toList());
        } catch (ExecutionException e) {
            String plain = ConnectionFailures.describe(e);
            if (plain == null) {
                throw e;
            }
            builder.down().withDetail("error", plain);
        }
    }
}
