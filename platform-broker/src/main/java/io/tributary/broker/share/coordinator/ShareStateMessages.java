package io.tributary.broker.share.coordinator;

import java.util.List;
import java.util.Optional;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;

/**
 * The share-group state messages (ReadShareGroupState, WriteShareGroupState, DeleteShareGroupState) as
 * the coordinator's values: their state batches to and from {@link ShareStateBatch}, and the one-key
 * requests a share-partition leader sends. One place for both sides of the wire, the handlers' and the
 * {@link ShareCoordinatorPersister}'s.
 */
public final class ShareStateMessages {

    private ShareStateMessages() {
    }

    public static List<ShareStateBatch> fromWrite(List<WriteShareGroupStateRequestData.StateBatch> batches) {
        return batches.stream().map(batch -> new ShareStateBatch(batch.firstOffset(), batch.lastOffset(),
                batch.deliveryState(), batch.deliveryCount())).toList();
    }

    public static List<WriteShareGroupStateRequestData.StateBatch> toWrite(List<ShareStateBatch> batches) {
        return batches.stream().map(batch -> new WriteShareGroupStateRequestData.StateBatch()
                .setFirstOffset(batch.firstOffset()).setLastOffset(batch.lastOffset())
                .setDeliveryState(batch.deliveryState()).setDeliveryCount(batch.deliveryCount())).toList();
    }

    public static List<ShareStateBatch> fromRead(List<ReadShareGroupStateResponseData.StateBatch> batches) {
        return batches.stream().map(batch -> new ShareStateBatch(batch.firstOffset(), batch.lastOffset(),
                batch.deliveryState(), batch.deliveryCount())).toList();
    }

    public static List<ReadShareGroupStateResponseData.StateBatch> toRead(List<ShareStateBatch> batches) {
        return batches.stream().map(batch -> new ReadShareGroupStateResponseData.StateBatch()
                .setFirstOffset(batch.firstOffset()).setLastOffset(batch.lastOffset())
                .setDeliveryState(batch.deliveryState()).setDeliveryCount(batch.deliveryCount())).toList();
    }

    /** The state a WriteShareGroupState partition carries. */
    public static SharePartitionState state(WriteShareGroupStateRequestData.PartitionData partition) {
        return new SharePartitionState(partition.stateEpoch(), partition.leaderEpoch(), partition.startOffset(),
                fromWrite(partition.stateBatches()));
    }

    /**
     * Fills a ReadShareGroupState partition result with the state read, or, as Kafka answers for a
     * share-partition without state, start offset -1 and state epoch 0.
     */
    public static ReadShareGroupStateResponseData.PartitionResult readResult(ReadShareGroupStateResponseData.PartitionResult result,
            Optional<SharePartitionState> state) {
        return result.setStateEpoch(state.map(SharePartitionState::stateEpoch).orElse(0))
                .setStartOffset(state.map(SharePartitionState::startOffset).orElse(ShareCoordinatorShard.UNINITIALIZED_START_OFFSET))
                .setStateBatches(state.map(s -> toRead(s.batches())).orElse(List.of()));
    }

    /**
     * The state a successful ReadShareGroupState partition result carries: empty when not initialized
     * (start offset -1, nothing in flight). Its leader epoch is -1: the response does not carry it.
     */
    public static Optional<SharePartitionState> state(ReadShareGroupStateResponseData.PartitionResult result) {
        SharePartitionState state = new SharePartitionState(result.stateEpoch(), ShareCoordinatorShard.NO_EPOCH,
                result.startOffset(), fromRead(result.stateBatches()));
        return ShareCoordinatorShard.isInitialized(state) ? Optional.of(state) : Optional.empty();
    }

    public static ReadShareGroupStateRequestData readRequest(SharePartitionKey key, int leaderEpoch) {
        return new ReadShareGroupStateRequestData().setGroupId(key.groupId()).setTopics(List.of(
                new ReadShareGroupStateRequestData.ReadStateData().setTopicId(key.topicId()).setPartitions(List.of(
                        new ReadShareGroupStateRequestData.PartitionData().setPartition(key.partition())
                                .setLeaderEpoch(leaderEpoch)))));
    }

    public static WriteShareGroupStateRequestData writeRequest(SharePartitionKey key, SharePartitionState state) {
        return new WriteShareGroupStateRequestData().setGroupId(key.groupId()).setTopics(List.of(
                new WriteShareGroupStateRequestData.WriteStateData().setTopicId(key.topicId()).setPartitions(List.of(
                        new WriteShareGroupStateRequestData.PartitionData().setPartition(key.partition())
                                .setStateEpoch(state.stateEpoch()).setLeaderEpoch(state.leaderEpoch())
                                .setStartOffset(state.startOffset()).setStateBatches(toWrite(state.batches()))))));
    }

    public static DeleteShareGroupStateRequestData deleteRequest(SharePartitionKey key) {
        return new DeleteShareGroupStateRequestData().setGroupId(key.groupId()).setTopics(List.of(
                new DeleteShareGroupStateRequestData.DeleteStateData().setTopicId(key.topicId()).setPartitions(List.of(
                        new DeleteShareGroupStateRequestData.PartitionData().setPartition(key.partition())))));
    }
}
