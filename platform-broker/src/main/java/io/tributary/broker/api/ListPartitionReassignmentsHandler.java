package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData.ListPartitionReassignmentsTopics;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;

/**
 * ListPartitionReassignments (KIP-455): the partitions being moved, each with all its replicas and
 * those being added and removed — of every topic, or of the partitions asked for (topics or
 * partitions that do not exist, or are not moving, are left out, as in Kafka). Needs DESCRIBE on the
 * cluster.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler<ListPartitionReassignmentsRequest> {

    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public ListPartitionReassignmentsHandler(ClusterMetadata metadata, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListPartitionReassignmentsRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.DESCRIBE)) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, RequestAuthorization.clusterRefusal(context, AclOperation.DESCRIBE)));
        }
        // Topic name -> the partition indexes to look at.
        TreeMap<String, List<Integer>> wanted = new TreeMap<>();
        if (request.data().topics() == null) {
            for (TopicInfo topic : metadata.topics()) {
                List<Integer> all = new ArrayList<>();
                for (int index = 0; index < topic.partitionCount(); index++) {
                    all.add(index);
                }
                wanted.put(topic.name(), all);
            }
        } else {
            for (ListPartitionReassignmentsTopics topic : request.data().topics()) {
                wanted.computeIfAbsent(topic.name(), name -> new ArrayList<>()).addAll(topic.partitionIndexes());
            }
        }
        List<OngoingTopicReassignment> topics = new ArrayList<>();
        wanted.forEach((name, indexes) -> {
            List<OngoingPartitionReassignment> moving = new ArrayList<>();
            for (int index : indexes.stream().distinct().sorted().toList()) {
                Optional<PartitionState> state = metadata.partition(name, index).filter(PartitionState::isReassigning);
                state.ifPresent(s -> moving.add(new OngoingPartitionReassignment().setPartitionIndex(index)
                        .setReplicas(s.replicas()).setAddingReplicas(s.adding()).setRemovingReplicas(s.removing())));
            }
            if (!moving.isEmpty()) {
                topics.add(new OngoingTopicReassignment().setName(name).setPartitions(moving));
            }
        });
        return CompletableFuture.completedFuture(new ListPartitionReassignmentsResponse(
                new ListPartitionReassignmentsResponseData().setErrorCode(Errors.NONE.code()).setErrorMessage(null)
                        .setTopics(topics)));
    }
}
