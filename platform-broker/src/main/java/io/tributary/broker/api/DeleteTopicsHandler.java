package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteTopicsRequest;
import org.apache.kafka.common.requests.DeleteTopicsResponse;

/** DeleteTopics, by name or (v6+) by topic id: the topic disappears and its logs are deleted. */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest> {

    private final TopicManager topics;

    public DeleteTopicsHandler(TopicManager topics) {
        this.topics = topics;
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
        DeletableTopicResultCollection results = new DeletableTopicResultCollection();
        for (DeleteTopicState state : requested) {
            results.add(delete(state));
        }
        return CompletableFuture.completedFuture(new DeleteTopicsResponse(new DeleteTopicsResponseData().setResponses(results)));
    }

    private DeletableTopicResult delete(DeleteTopicState state) {
        boolean byId = state.name() == null;
        Uuid id = state.topicId() == null ? Uuid.ZERO_UUID : state.topicId();
        DeletableTopicResult result = new DeletableTopicResult().setName(state.name()).setTopicId(id);
        Optional<TopicInfo> topic = byId ? topics.store().topic(id) : topics.store().topic(state.name());
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
