package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.ElectLeadersResponse;

/**
 * ElectLeaders, what {@code kafka-leader-election} and AdminClient {@code electLeaders} send: for each
 * partition, the preferred replica takes the leadership if it is live and in sync (PREFERRED), or a
 * partition without a leader gets a live replica, out of sync if need be (UNCLEAN, losing what that
 * replica lacks). Each partition's answer is Kafka's controller's: ELECTION_NOT_NEEDED,
 * PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION. No
 * partitions (null) means every partition, and then those needing no election are left out of the
 * answer. As in Kafka it takes ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED for all.
 */
public final class ElectLeadersHandler implements ApiHandler<ElectLeadersRequest> {

    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public ElectLeadersHandler(ClusterMetadata metadata, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ElectLeadersRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(request.getErrorResponse(0,
                    RequestAuthorization.clusterRefusal(context, AclOperation.ALTER)));
        }
        ElectionType type = request.electionType();
        List<ReplicaElectionResult> results = new ArrayList<>();
        if (request.data().topicPartitions() == null) {
            List<TopicInfo> topics = new ArrayList<>(metadata.topics());
            topics.sort(Comparator.comparing(TopicInfo::name));
            for (TopicInfo topic : topics) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.name());
                for (int partition = 0; partition < topic.partitionCount(); partition++) {
                    if (mayNeedElection(topic.name(), partition, type)) {
                        PartitionResult answer = elect(topic.name(), partition, type);
                        if (answer.errorCode() != Errors.ELECTION_NOT_NEEDED.code()) {
                            result.partitionResult().add(answer);
                        }
                    }
                }
                results.add(result);
            }
        } else {
            for (TopicPartitions topic : request.data().topicPartitions()) {
                ReplicaElectionResult result = new ReplicaElectionResult().setTopic(topic.topic());
                for (int partition : topic.partitions()) {
                    result.partitionResult().add(elect(topic.topic(), partition, type));
                }
                results.add(result);
            }
        }
        return CompletableFuture.completedFuture(new ElectLeadersResponse(0, Errors.NONE.code(), results,
                context.apiVersion()));
    }

    /** Whether this broker's view leaves an election possible: asking the quorum about every partition would be slow. */
    private boolean mayNeedElection(String topic, int partition, ElectionType type) {
        return metadata.partition(topic, partition).map(state -> type == ElectionType.UNCLEAN
                ? state.leader() == PartitionState.NO_LEADER
                : state.leader() != state.preferredLeader()).orElse(false);
    }

    private PartitionResult elect(String topic, int partition, ElectionType type) {
        PartitionResult result = new PartitionResult().setPartitionId(partition);
        try {
            metadata.electLeader(topic, partition, type);
            return result.setErrorCode(Errors.NONE.code());
        } catch (MetadataException e) {
            return result.setErrorCode(e.error().code())
                    .setErrorMessage(e.getMessage() != null ? e.getMessage() : e.error().message());
        }
    }
}
