package io.tributary.broker.admin;

import java.util.List;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN with their list when partition logs are offline (their storage failed; they stay offline
 * until a restart). The partitions this broker leads with fewer in-sync replicas than replicas are
 * counted too (always 0 on a single node); that alone is not DOWN, since they still serve.
 */
public final class PartitionsHealthIndicator implements HealthIndicator {

    private final LogManager logs;
    private final io.tributary.broker.partition.PartitionManager partitions;

    public PartitionsHealthIndicator(LogManager logs, io.tributary.broker.partition.PartitionManager partitions) {
        this.logs = logs;
        this.partitions = partitions;
    }

    @Override
    public Health health() {
        var all = logs.logs();
        List<String> offline = all.stream().filter(PartitionLog::isOffline)
                .map(log -> log.topicPartition().toString()).sorted().toList();
        Health.Builder builder = offline.isEmpty() ? Health.up() : Health.down();
        return builder.withDetail("partitions", all.size())
                .withDetail("offline", offline)
                .withDetail("underReplicated", PartitionMetrics.underReplicated(partitions))
                .build();
    }
}
