package io.tributary.broker.partition;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a leader proposes a new in-sync replica set. The change takes effect only once the cluster
 * metadata committed it and it comes back to the partition like any other metadata; a proposal from
 * a leader whose epoch is over is refused there.
 *
 * <p>Implementations are thread-safe and do not block the caller.
 */
public interface IsrChannel {

    /** A single node: the ISR is the node itself and never changes. */
    IsrChannel NONE = (partition, leaderEpoch, isr, brokerEpochs, done) -> done.ended(Result.REFUSED);

    /** How a proposal ended. */
    enum Result {
        /** The cluster metadata committed it. */
        COMMITTED,
        /** The cluster metadata refused it, or it was never sent: it will not take effect. */
        REFUSED,
        /** Its fate is not known (no quorum answered in time): it may still take effect. */
        UNKNOWN
    }

    /** Told how a proposal ended. */
    @FunctionalInterface
    interface Outcome {

        void ended(Result result);
    }

    /**
     * Proposes {@code isr} for {@code partition}, led by this broker in {@code leaderEpoch};
     * {@code done} is told once the proposal was committed, refused or timed out. A committed proposal
     * may be told before the partition sees the committed ISR come back.
     *
     * @param brokerEpochs for each replica of {@code isr}, in order, the broker epoch of the incarnation
     *        this leader saw fetch (-1 when not known): a replica added is refused if its broker has
     *        registered again since (KIP-903)
     */
    void propose(TopicPartition partition, int leaderEpoch, List<Integer> isr, List<Long> brokerEpochs, Outcome done);

    /**
     * Whether a follower that caught up may be proposed for the ISR as the metadata this broker has
     * stands (Kafka's leader-side check of KIP-903): its broker registered, not fenced, and — when both are
     * known — in the broker epoch its fetches carried. The quorum checks again; this spares it proposals it
     * would refuse, one a second for as long as a fenced or restarted follower's last fetch looks caught up.
     */
    default boolean mayJoinIsr(int replicaId, long brokerEpoch) {
        return true;
    }
}
