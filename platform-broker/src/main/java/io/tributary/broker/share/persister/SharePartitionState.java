package io.tributary.broker.share.persister;

import java.util.List;

/**
 * The durable state of one share-partition (a share group's view of one topic partition), as Kafka's
 * share coordinator keeps it: the share-partition start offset (every record below it is done), and the
 * delivery state and count of the in-flight records from there on.
 *
 * @param stateEpoch  bumped when the state is re-initialized (offsets reset, group re-created)
 * @param leaderEpoch the epoch of the partition leader that wrote it; the share coordinator refuses a
 *                    write with a lower one (FENCED_LEADER_EPOCH), so a deposed leader cannot overwrite
 * @param startOffset the share-partition start offset
 * @param batches     ranges of in-flight offsets at or above {@code startOffset}, ascending, not overlapping
 */
public record SharePartitionState(int stateEpoch, int leaderEpoch, long startOffset, List<ShareStateBatch> batches) {

    public SharePartitionState {
        batches = List.copyOf(batches);
    }
}
