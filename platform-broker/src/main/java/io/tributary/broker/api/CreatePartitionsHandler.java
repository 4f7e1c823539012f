package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsAssignment;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreatePartitionsRequest;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * CreatePartitions: grows a topic to a larger partition count (never shrinks it), the new partitions
 * placed by the controller or on the replicas the request lists for each. It takes ALTER on the topic
 * (else TOPIC_AUTHORIZATION_FAILED, whether or not the topic exists), as in Kafka.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequest> {

    private final TopicManager topics;
    private final RequestAuthorization authorization;

    public CreatePartitionsHandler(TopicManager topics, RequestAuthorization authorization) {
        this.topics = topics;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, CreatePartitionsRequest request) {
        Set<String> seen = new HashSet<>();
        Predicate<String> alterable = authorization.filter(context, AclOperation.ALTER, ResourceType.TOPIC,
                request.data().topics(), CreatePartitionsTopic::name, true, true);
        List<CreatePartitionsTopicResult> results = new ArrayList<>();
        for (CreatePartitionsTopic topic : request.data().topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            try {
                if (!seen.add(topic.name())) {
                    throw new MetadataException(Errors.INVALID_REQUEST, "Duplicate topic in request.");
                }
                if (!alterable.test(topic.name())) {
                    throw new MetadataException(Errors.TOPIC_AUTHORIZATION_FAILED, null);
                }
                List<List<Integer>> assignments = topic.assignments() == null ? null
                        : topic.assignments().stream().map(CreatePartitionsAssignment::brokerIds).toList();
                topics.addPartitions(topic.name(), topic.count(), assignments, request.data().validateOnly());
                result.setErrorCode(Errors.NONE.code());
            } catch (MetadataException e) {
                result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
            results.add(result);
        }
        return CompletableFuture.completedFuture(new CreatePartitionsResponse(new CreatePartitionsResponseData().setResults(results)));
    }
}
