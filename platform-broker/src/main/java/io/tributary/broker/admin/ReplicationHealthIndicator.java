package io.tributary.broker.admin;

import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN, naming the brokers and why, while this broker's replica fetchers cannot fetch from some
 * brokers: bad inter-broker credentials, a missing ACL, a broker that cannot be reached. The
 * partitions they lead stay under-replicated meanwhile, though they keep serving; nothing is lost,
 * and the fetchers catch up once the cause is fixed.
 */
public final class ReplicationHealthIndicator implements HealthIndicator {

    private final Supplier<Map<Integer, String>> failures;

    /** @param failures why fetching from each failing broker fails, by its node id */
    public ReplicationHealthIndicator(Supplier<Map<Integer, String>> failures) {
        this.failures = failures;
    }

    @Override
    public Health health() {
        Map<Integer, String> failing = failures.get();
        return (failing.isEmpty() ? Health.up() : Health.down()).withDetail("failingSources", failing).build();
    }
}
