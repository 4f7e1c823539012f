package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerResult;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * WriteTxnMarkers, from a transaction coordinator to the leaders of a transaction's partitions: each
 * marker is appended where this broker leads the partition and answered once the in-sync replicas
 * hold it; elsewhere NOT_LEADER_OR_FOLLOWER, and the coordinator asks the new leader. As Kafka, it takes
 * CLUSTER_ACTION (else CLUSTER_AUTHORIZATION_FAILED for every partition).
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequest> {

    private final PartitionManager partitions;
    private final RequestAuthorization authorization;

    public WriteTxnMarkersHandler(PartitionManager partitions, RequestAuthorization authorization) {
        this.partitions = partitions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, WriteTxnMarkersRequest request) {
        boolean allowed = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        WriteTxnMarkersResponseData data = new WriteTxnMarkersResponseData();
        for (WritableTxnMarker marker : request.data().markers()) {
            WritableTxnMarkerResult markerResult = new WritableTxnMarkerResult().setProducerId(marker.producerId());
            data.markers().add(markerResult);
            TransactionResult result = marker.transactionResult() ? TransactionResult.COMMIT : TransactionResult.ABORT;
            for (WritableTxnMarkerTopic topic : marker.topics()) {
                WritableTxnMarkerTopicResult topicResult = new WritableTxnMarkerTopicResult().setName(topic.name());
                markerResult.topics().add(topicResult);
                for (int index : topic.partitionIndexes()) {
                    WritableTxnMarkerPartitionResult partitionResult = new WritableTxnMarkerPartitionResult()
                            .setPartitionIndex(index);
                    topicResult.partitions().add(partitionResult);
                    if (!allowed) {
                        partitionResult.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
                        continue;
                    }
                    pending.add(append(new TopicPartition(topic.name(), index), marker, result)
                            .thenAccept(error -> partitionResult.setErrorCode(error.code())));
                }
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new WriteTxnMarkersResponse(data));
    }

    private CompletableFuture<Errors> append(TopicPartition tp, WritableTxnMarker marker, TransactionResult result) {
        try {
            return partitions.appendTxnMarker(tp, marker.producerId(), marker.producerEpoch(), marker.coordinatorEpoch(),
                    result).exceptionally(Errors::forException);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Errors.forException(e));
        }
    }
}
