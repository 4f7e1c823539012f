package io.tributary.broker.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.partition.PartitionManager;

/**
 * A broker as a member of a cluster, started before it serves anything: it registers through the
 * quorum, waits until its replica of the metadata has caught up, and only then lets its partitions
 * follow that replica.
 */
public final class ClusterNode implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterNode.class);

    private final LocalBroker broker;
    private final MetadataQuorum quorum;
    private final ReplicaReconciler reconciler;
    private final ClusterMembership membership;
    private final ReplicatedMetadata metadata;
    private final QuorumIsrChannel isrChannel;
    private final Duration controlledShutdownTimeout;

    public ClusterNode(LocalBroker broker, ClusterProperties properties, MetadataQuorum quorum, BrokerLiveness liveness,
            PartitionManager partitions, TopicConfigs configs) {
        this(broker, properties, quorum, liveness, partitions, configs, InterBrokerClient.PLAINTEXT);
    }

    /** @param interBroker how this broker's replica fetchers connect to other brokers */
    public ClusterNode(LocalBroker broker, ClusterProperties properties, MetadataQuorum quorum, BrokerLiveness liveness,
            PartitionManager partitions, TopicConfigs configs, InterBrokerClient interBroker) {
        this.broker = broker;
        this.quorum = quorum;
        this.controlledShutdownTimeout = properties.getControlledShutdownTimeout();
        this.isrChannel = new QuorumIsrChannel(broker.nodeId(), quorum);
        partitions.isrChannel(isrChannel);
        // Two threads: a heartbeat must not wait behind a fencing that waits for the quorum.
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "tributary-cluster-" + broker.nodeId());
            thread.setDaemon(true);
            return thread;
        });
        this.membership = new ClusterMembership(broker, quorum, liveness, properties, scheduler);
        // The fetchers start once the broker registered (start()), so they always send the epoch it registered in.
        this.reconciler = new ReplicaReconciler(broker.nodeId(), membership::brokerEpoch, quorum, partitions, configs,
                interBroker);
        this.metadata = new ReplicatedMetadata(quorum.meta().clusterId().toString(), quorum);
    }

    public void start() {
        if (broker.port() == 0) {
            throw new IllegalStateException("A broker in a cluster registers its Kafka port before it listens: "
                    + "set tributary.broker.port to a fixed port");
        }
        membership.start();
        reconciler.caughtUp();
    }

    /** Why this broker's replica fetchers cannot fetch from some brokers, by node id; empty when all work. */
    public java.util.Map<Integer, String> replicationFailures() {
        return reconciler.replicationFailures();
    }

    public ClusterMetadata metadata() {
        return metadata;
    }

    public MetadataQuorum quorum() {
        return quorum;
    }

    /**
     * Kafka's controlled shutdown: before this broker stops serving, it stops heartbeating and fences
     * itself through the quorum, so that its leaderships move to in-sync replicas at once rather than
     * after a session timeout, while it still answers clients NOT_LEADER_OR_FOLLOWER. Skipped when no
     * other broker is live (nothing to move to, and perhaps no quorum left to ask); bounded in time.
     */
    public void controlledShutdown() {
        membership.close();
        int nodeId = broker.nodeId();
        boolean othersLive = quorum.image().liveBrokers().stream().anyMatch(b -> b.nodeId() != nodeId);
        if (!othersLive) {
            return;
        }
        long started = System.nanoTime();
        try {
            CompletableFuture.supplyAsync(() -> quorum.submit(new MetadataCommand.FenceBroker(nodeId)))
                    .get(controlledShutdownTimeout.toMillis(), TimeUnit.MILLISECONDS).orThrow();
            log.info("Controlled shutdown: broker {} handed over its leaderships in {} ms", nodeId,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Controlled shutdown of broker {} did not complete: {}", nodeId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        reconciler.close();
        isrChannel.close();
        membership.close();
    }
}
