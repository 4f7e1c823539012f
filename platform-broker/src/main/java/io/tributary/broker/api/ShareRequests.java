package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.share.SharePartitionManager;
import io.tributary.broker.share.ShareSessionCache;
import io.tributary.broker.share.ShareSessionCache.ShareSession;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What ShareFetch and ShareAcknowledge share: the share sessions, the member's acknowledgements applied
 * partition by partition, topic authorization, and where a partition's leader is for a client that
 * asked the wrong broker.
 */
public final class ShareRequests {

    /** One acknowledgement batch as both requests carry it. */
    record AckBatch(long firstOffset, long lastOffset, List<Byte> types) {
    }

    /** Where a partition's leader is, for a NOT_LEADER_OR_FOLLOWER answer. */
    record Leader(int leaderId, int leaderEpoch, BrokerEndpoint endpoint) {
    }

    final ClusterMetadata metadata;
    final SharePartitionManager manager;
    final ShareSessionCache sessions;
    final RequestAuthorization authorization;

    public ShareRequests(ClusterMetadata metadata, SharePartitionManager manager, ShareSessionCache sessions,
            RequestAuthorization authorization) {
        this.metadata = metadata;
        this.manager = manager;
        this.sessions = sessions;
        this.authorization = authorization;
    }

    /**
     * Applies the acknowledgements of each partition (in the request's order), each partition's all or
     * none; the futures complete with each partition's error once its new state is persisted.
     */
    Map<TopicIdPartition, CompletableFuture<Errors>> acknowledge(String groupId, String memberId,
            Map<TopicIdPartition, List<AckBatch>> acknowledgements, Predicate<TopicIdPartition> readable) {
        Map<TopicIdPartition, CompletableFuture<Errors>> results = new LinkedHashMap<>();
        acknowledgements.forEach((partition, batches) -> {
            if (!readable.test(partition)) {
                results.put(partition, CompletableFuture.completedFuture(Errors.TOPIC_AUTHORIZATION_FAILED));
                return;
            }
            List<io.tributary.broker.share.SharePartition.Acknowledgement> acks = new ArrayList<>();
            for (AckBatch batch : batches) {
                byte[] types = new byte[batch.types().size()];
                for (int i = 0; i < types.length; i++) {
                    types[i] = batch.types().get(i);
                }
                acks.add(new io.tributary.broker.share.SharePartition.Acknowledgement(batch.firstOffset(),
                        batch.lastOffset(), types));
            }
            results.put(partition, manager.acknowledge(groupId, memberId, partition, acks));
        });
        return results;
    }

    /** Releases what a member held in the sessions that ended (replaced, closed or idle). */
    void release(List<ShareSession> ended) {
        manager.release(ended);
    }

    /**
     * The partitions whose topic the client may READ (all when no authorizer is configured); a partition of
     * an unknown topic id is "readable" here and answered UNKNOWN_TOPIC_ID later.
     */
    Predicate<TopicIdPartition> readable(RequestContext context, List<TopicIdPartition> partitions) {
        if (!authorization.isEnabled()) {
            return partition -> true;
        }
        List<String> names = new ArrayList<>();
        for (TopicIdPartition partition : partitions) {
            metadata.topic(partition.topicId()).ifPresent(topic -> names.add(topic.name()));
        }
        Predicate<String> allowed = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC, names);
        return partition -> metadata.topic(partition.topicId()).map(topic -> allowed.test(topic.name())).orElse(true);
    }

    /**
     * Whether a request may go on: it names its group and member (else INVALID_REQUEST) and may READ the
     * group (else GROUP_AUTHORIZATION_FAILED), as Kafka checks both share requests.
     */
    Errors admit(RequestContext context, String groupId, String memberId) {
        if (groupId == null || groupId.isEmpty() || memberId == null || memberId.isEmpty()) {
            return Errors.INVALID_REQUEST;
        }
        return authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, groupId)
                ? Errors.NONE : Errors.GROUP_AUTHORIZATION_FAILED;
    }

    /** The session a request with epoch -1 (ending it) or above 0 (the next in turn) belongs to. */
    ShareSessionCache.Lookup continueSession(ShareSessionCache.Key key, int epoch) {
        return epoch == ShareSessionCache.FINAL_EPOCH ? sessions.close(key) : sessions.next(key, epoch);
    }

    /** The partition's leader as this broker's metadata knows it. */
    Optional<Leader> leader(RequestContext context, TopicIdPartition partition) {
        Optional<TopicInfo> topic = metadata.topic(partition.topicId());
        if (topic.isEmpty()) {
            return Optional.empty();
        }
        Optional<PartitionState> state = metadata.partition(topic.get().name(), partition.partition());
        if (state.isEmpty() || state.get().leader() == PartitionState.NO_LEADER) {
            return Optional.of(new Leader(-1, state.map(PartitionState::leaderEpoch).orElse(-1), null));
        }
        BrokerEndpoint endpoint = metadata.liveBrokers(context.listenerName()).stream()
                .filter(broker -> broker.nodeId() == state.get().leader()).findFirst().orElse(null);
        return Optional.of(new Leader(state.get().leader(), state.get().leaderEpoch(), endpoint));
    }

    static TopicIdPartition partition(Uuid topicId, int index) {
        return new TopicIdPartition(topicId, index, null);
    }
}
