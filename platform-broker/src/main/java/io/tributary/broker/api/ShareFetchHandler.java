package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.share.SharePartition;
import io.tributary.broker.share.SharePartitionManager;
import io.tributary.broker.share.SharePartitionManager.FetchedPartition;
import io.tributary.broker.share.ShareSessionCache;
import io.tributary.broker.share.ShareSessionCache.ShareSession;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData.AcquiredRecords;
import org.apache.kafka.common.message.ShareFetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ShareFetchRequest;
import org.apache.kafka.common.requests.ShareFetchResponse;

/**
 * ShareFetch (KIP-932): a share group's member acknowledges what it processed and acquires the next
 * records of the partitions in its share session, each under a time lock
 * ({@code AcquisitionLockTimeoutMs}). Epoch 0 opens the session with the partitions named; later
 * requests name only partitions to add (or that carry acknowledgements) and those to forget; epoch -1
 * only acknowledges and ends the session, releasing what the member still held.
 *
 * <p>As in Kafka: READ on the group (else GROUP_AUTHORIZATION_FAILED) and on each topic (else
 * TOPIC_AUTHORIZATION_FAILED for its partitions); acknowledgements are applied before the fetch, so that
 * records released now may be acquired again by it.
 */
public final class ShareFetchHandler implements ApiHandler<ShareFetchRequest> {

    private final ShareRequests share;

    public ShareFetchHandler(ShareRequests share) {
        this.share = share;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_FETCH;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ShareFetchRequest request) {
        ShareFetchRequestData data = request.data();
        String groupId = data.groupId();
        String memberId = data.memberId();
        Errors refused = share.admit(context, groupId, memberId);
        if (refused != Errors.NONE) {
            return failed(refused, null);
        }
        Set<TopicIdPartition> named = new LinkedHashSet<>();
        Map<TopicIdPartition, List<ShareRequests.AckBatch>> acknowledgements = new LinkedHashMap<>();
        for (ShareFetchRequestData.FetchTopic topic : data.topics()) {
            for (ShareFetchRequestData.FetchPartition partition : topic.partitions()) {
                TopicIdPartition key = ShareRequests.partition(topic.topicId(), partition.partitionIndex());
                named.add(key);
                for (ShareFetchRequestData.AcknowledgementBatch batch : partition.acknowledgementBatches()) {
                    acknowledgements.computeIfAbsent(key, k -> new ArrayList<>()).add(new ShareRequests.AckBatch(
                            batch.firstOffset(), batch.lastOffset(), batch.acknowledgeTypes()));
                }
            }
        }
        List<TopicIdPartition> forgotten = new ArrayList<>();
        for (ShareFetchRequestData.ForgottenTopic topic : data.forgottenTopicsData()) {
            topic.partitions().forEach(index -> forgotten.add(ShareRequests.partition(topic.topicId(), index)));
        }

        ShareSessionCache.Key key = new ShareSessionCache.Key(groupId, memberId);
        int epoch = data.shareSessionEpoch();
        List<ShareSession> ended = new ArrayList<>();
        ShareSessionCache.Lookup lookup;
        if (epoch == ShareSessionCache.INITIAL_EPOCH) {
            if (!acknowledgements.isEmpty()) {
                return failed(Errors.INVALID_REQUEST, "The request opening a share session cannot acknowledge records");
            }
            named.removeAll(forgotten);
            lookup = share.sessions.open(key, named, ended);
        } else {
            lookup = share.continueSession(key, epoch);
            if (lookup.error() == Errors.NONE && epoch != ShareSessionCache.FINAL_EPOCH) {
                lookup.session().update(named, forgotten);
            }
        }
        share.release(ended);
        if (lookup.error() != Errors.NONE) {
            return failed(lookup.error(), null);
        }
        ShareSession session = lookup.session();
        List<TopicIdPartition> toFetch = epoch == ShareSessionCache.FINAL_EPOCH ? List.of() : session.partitions();
        List<TopicIdPartition> mentioned = new ArrayList<>(toFetch);
        acknowledgements.keySet().stream().filter(p -> !mentioned.contains(p)).forEach(mentioned::add);
        Predicate<TopicIdPartition> readable = share.readable(context, mentioned);

        // Acknowledgements first: what they release may be acquired by this very fetch.
        Map<TopicIdPartition, CompletableFuture<Errors>> acked = share.acknowledge(groupId, memberId, acknowledgements, readable);
        if (epoch == ShareSessionCache.FINAL_EPOCH) {
            share.release(List.of(session));
        }
        List<TopicIdPartition> fetchable = toFetch.stream().filter(readable).toList();
        CompletableFuture<List<FetchedPartition>> fetched = fetchable.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : share.manager.fetch(groupId, memberId, fetchable, new SharePartitionManager.FetchLimits(
                        data.maxWaitMs(), data.minBytes(), data.maxBytes(), data.maxRecords() > 0 ? data.maxRecords() : 500));
        CompletableFuture<?>[] all = acked.values().toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all).thenCombine(fetched, (ignored, results) -> {
            Map<TopicIdPartition, PartitionData> answers = new LinkedHashMap<>();
            for (TopicIdPartition partition : toFetch) {
                if (!readable.test(partition)) {
                    answers.put(partition, partitionData(partition).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                }
            }
            for (FetchedPartition result : results) {
                if (result.error() == Errors.NONE && result.acquired().isEmpty()) {
                    continue; // nothing to say about it
                }
                PartitionData answer = partitionData(result.partition()).setErrorCode(result.error().code());
                if (!result.acquired().isEmpty()) {
                    answer.setRecords(result.records());
                    List<AcquiredRecords> acquired = new ArrayList<>();
                    for (SharePartition.Acquired range : result.acquired()) {
                        acquired.add(new AcquiredRecords().setFirstOffset(range.firstOffset())
                                .setLastOffset(range.lastOffset()).setDeliveryCount(range.deliveryCount()));
                    }
                    answer.setAcquiredRecords(acquired);
                }
                answers.put(result.partition(), answer);
            }
            acked.forEach((partition, error) -> answers.computeIfAbsent(partition, ShareFetchHandler::partitionData)
                    .setAcknowledgeErrorCode(error.join().code()));
            List<Node> leaders = leaders(context, answers);
            return ShareFetchResponse.of(Errors.NONE, 0, new LinkedHashMap<>(answers), leaders,
                    share.manager.settings(groupId).recordLockDurationMs());
        });
    }

    private static PartitionData partitionData(TopicIdPartition partition) {
        PartitionData data = new PartitionData().setPartitionIndex(partition.partition()).setRecords(MemoryRecords.EMPTY);
        data.currentLeader().setLeaderId(-1).setLeaderEpoch(-1);
        return data;
    }

    /** Fills in where the leaders are of partitions not led here, and returns their endpoints. */
    private List<Node> leaders(RequestContext context, Map<TopicIdPartition, PartitionData> answers) {
        Map<Integer, Node> nodes = new LinkedHashMap<>();
        answers.forEach((partition, answer) -> {
            if (answer.errorCode() == Errors.NOT_LEADER_OR_FOLLOWER.code()) {
                share.leader(context, partition).ifPresent(found -> {
                    answer.currentLeader().setLeaderId(found.leaderId()).setLeaderEpoch(found.leaderEpoch());
                    if (found.endpoint() != null) {
                        nodes.putIfAbsent(found.leaderId(), new Node(found.leaderId(), found.endpoint().host(), found.endpoint().port(), found.endpoint().rack()));
                    }
                });
            }
        });
        return new ArrayList<>(nodes.values());
    }

    private static CompletableFuture<AbstractResponse> failed(Errors error, String message) {
        ShareFetchResponse response = ShareFetchResponse.of(error, 0, new LinkedHashMap<>(), List.of(), 0);
        response.data().setErrorMessage(message == null ? error.message() : message);
        return CompletableFuture.completedFuture(response);
    }
}
