package io.tributary.broker.cluster;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.partition.IsrChannel;
import io.tributary.broker.partition.IsrChannel.Result;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ISR changes as {@link AlterPartition} commands through the metadata quorum. Submitting waits for
 * the quorum, so it runs on a thread of its own rather than the fetch or scheduler threads that
 * propose.
 */
final class QuorumIsrChannel implements IsrChannel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuorumIsrChannel.class);

    private final int nodeId;
    private final MetadataQuorum quorum;
    private final ExecutorService executor;

    QuorumIsrChannel(int nodeId, MetadataQuorum quorum) {
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-alter-partition-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void propose(TopicPartition partition, int leaderEpoch, List<Integer> isr, List<Long> brokerEpochs,
            Outcome done) {
        try {
            executor.execute(() -> {
                Result outcome = Result.UNKNOWN;
                try {
                    CommandResult result = quorum.submit(new AlterPartition(partition.topic(), partition.partition(),
                            nodeId, leaderEpoch, isr, brokerEpochs));
                    outcome = result.error() == Errors.NONE ? Result.COMMITTED : Result.REFUSED;
                    if (outcome == Result.REFUSED) {
                        log.info("{}: ISR {} refused: {}", partition, isr, result.message());
                    }
                } catch (RuntimeException e) {
                    log.info("{}: ISR {} not known to be committed: {}", partition, isr, e.toString());
                } finally {
                    done.ended(outcome);
                }
            });
        } catch (RejectedExecutionException e) {
            done.ended(Result.REFUSED);
        }
    }

    /** As the controller will check it ({@link ClusterState}), on this broker's replica of the metadata. */
    @Override
    public boolean mayJoinIsr(int replicaId, long brokerEpoch) {
        return BrokerRegistration.whyIneligibleForIsr(quorum.image().brokers().get(replicaId), brokerEpoch) == null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
