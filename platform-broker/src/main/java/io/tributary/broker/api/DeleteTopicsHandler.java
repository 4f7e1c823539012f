package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResultCollection;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteTopics, by name or (v6+) by topic id: the topic disappears and its logs are deleted. As in
 * Kafka, deleting takes DELETE on the cluster or on the topic (else TOPIC_AUTHORIZATION_FAILED); a
 * topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED whether it exists or not, and
 * one asked for by id is answered without its name.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest> {

    private final TopicManager topics;
    private final RequestAuthorization authorization;

    public DeleteTopicsHandler(TopicManager topics, RequestAuthorization authorization) {
        this.topics = topics;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteTopicsRequest request) {
        List<DeleteTopicState> requested = new ArrayList<>();
        if (context.apiVersion() >= 6) {
            requested.addAll(request.data().topics());
        } else {
            request.data().topicNames().forEach(name -> requested.add(new DeleteTopicState().setName(name)));
        }
        List<String> names = new ArrayList<>();
        for (DeleteTopicState state : requested) {
            if (state.name() != null) {
                names.add(state.name());
            } else {
                topics.store().topic(state.topicId()).ifPresent(topic -> names.add(topic.name()));
            }
        }
        Predicate<String> deletable;
        Predicate<String> describable;
        // DELETE on the cluster is the usual grant and its absence no attempt: only the per-topic checks are audited.
        if (authorization.authorizeCluster(context, AclOperation.DELETE, true, false)) {
            deletable = name -> true;
            describable = name -> true;
        } else {
            describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, names);
            deletable = authorization.filter(context, AclOperation.DELETE, ResourceType.TOPIC, names);
        }
        DeletableTopicResultCollection results = new DeletableTopicResultCollection();
        for (DeleteTopicState state : requested) {
            results.add(delete(state, describable, deletable));
        }
        return CompletableFuture.completedFuture(new DeleteTopicsResponse(new DeleteTopicsResponseData().setResponses(results)));
    }

    private DeletableTopicResult delete(DeleteTopicState state, Predicate<String> describable, Predicate<String> deletable) {
        boolean byId = state.name() == null;
        Uuid id = state.topicId() == null ? Uuid.ZERO_UUID : state.topicId();
        DeletableTopicResult result = new DeletableTopicResult().setName(state.name()).setTopicId(id);
        Optional<TopicInfo> topic = byId ? topics.store().topic(id) : topics.store().topic(state.name());
        if (!byId && !describable.test(state.name())) {
            return result.setTopicId(Uuid.ZERO_UUID).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        if (topic.isPresent() && !deletable.test(topic.get().name())) {
            // By id, the name is told only to a principal that may describe the topic.
            return result.setName(describable.test(topic.get().name()) ? topic.get().name() : state.name())
                    .setTopicId(byId ? id : Uuid.ZERO_UUID).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        if (topic.isEmpty()) {
            return result.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code())
                    .setErrorMessage(byId ? "Topic id " + id + " does not exist." : "This server does not host this topic-partition.");
        }
        result.setName(topic.get().name()).setTopicId(topic.get().id());
        try {
            topics.deleteTopic(topic.get().name());
            return result.setErrorCode(Errors.NONE.code());
        } catch (MetadataException e) {
            return result.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }
}
