package io.tributary.broker.admin.rest;

import java.util.List;
import io.tributary.broker.admin.service.ClusterOverview;
import io.tributary.broker.admin.service.ClusterOverview.DiskUse;
import io.tributary.broker.admin.service.ClusterOverview.Overview;
import io.tributary.broker.admin.service.ClusterPartitions;
import io.tributary.broker.admin.service.ClusterPartitions.Figures;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cluster at a glance, and what this one broker holds: its disk use and the log figures of its
 * replicas. The latter are what other brokers ask for when their console or admin API shows
 * something only this broker holds.
 */
@RestController
class BrokerController {

    private final ClusterOverview cluster;
    private final ClusterPartitions partitions;

    BrokerController(ClusterOverview cluster, ClusterPartitions partitions) {
        this.cluster = cluster;
        this.partitions = partitions;
    }

    @GetMapping("/api/cluster")
    Overview cluster() {
        return cluster.overview();
    }

    @GetMapping("/api/broker")
    DiskUse broker() {
        return cluster.disk();
    }

    /** This broker's replicas (leaders and followers) with their log start, high watermark, log end and size. */
    @GetMapping("/api/broker/partitions")
    List<Figures> partitions(@RequestParam(required = false) String topic) {
        return partitions.local(topic);
    }
}
