package io.tributary.broker.group;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorRuntime;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Kafka's classic group coordinator, as the API handlers and the admin services see it: members
 * join, the leader assigns, members heartbeat, and the offsets they commit are kept. Group metadata
 * and offsets are records of the compacted {@code __consumer_offsets} topic (the partition is chosen
 * by the group id's hash, as Kafka does).
 *
 * <p>It runs on a {@link CoordinatorRuntime}: each partition of {@code __consumer_offsets} this broker
 * leads has a {@link GroupCoordinatorShard} (its {@link GroupMetadataManager} and
 * {@link OffsetMetadataManager}), loaded by replaying the partition, and this class routes each
 * request to the shard of its group. Records are written as acks=all produces: a commit is answered,
 * and becomes visible, once the in-sync replicas hold it, so that the next coordinator knows every
 * offset this one ever showed.
 *
 * <p>Thread-safe: each group is guarded by its own monitor; timers run on the shared scheduler;
 * loading and unloading run one at a time on the runtime's loader thread.
 */
public final class GroupCoordinator {

    public static final String OFFSETS_TOPIC = "__consumer_offsets";
    /**
     * The most protocol metadata (subscriptions) one member may bring: a group's metadata is one
     * record of {@code __consumer_offsets}, which must stay well within a batch's size limit.
     */
    static final int MAX_MEMBER_METADATA_BYTES = 256 * 1024;

    private final GroupCoordinatorConfig config;
    private final ScheduledExecutorService scheduler;
    private final CoordinatorRuntime<GroupCoordinatorShard> runtime;

    public GroupCoordinator(GroupCoordinatorConfig config, TopicManager topics, PartitionManager partitions,
            ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.scheduler = scheduler;
        CoordinatorRuntime.TopicSpec topic = new CoordinatorRuntime.TopicSpec(OFFSETS_TOPIC, config.offsetsTopicPartitions(),
                config.offsetsTopicReplicationFactor(), Map.of("cleanup.policy", "compact",
                        "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes())), config.offsetCommitTimeoutMs());
        this.runtime = new CoordinatorRuntime<>(topic, topics, partitions,
                (partition, writer) -> new GroupCoordinatorShard(config, scheduler, clock, writer, () -> topics.store().topics(),
                        () -> ReplicaRacks.of(topics.store())),
                "tributary-group-loader");
    }

    // ---------------------------------------------------------------- start-up, the offsets topic, coordination

    /**
     * Rebuilds every group from {@code __consumer_offsets} (single node), or the groups of each of its
     * partitions this broker comes to lead (cluster). The topic itself is created, as Kafka does, when
     * groups are first used (see {@link #ensureOffsetsTopic()}).
     */
    public void startup() {
        runtime.startup();
        scheduler.scheduleWithFixedDelay(this::expireOffsets, config.offsetsRetentionCheckIntervalMs(),
                config.offsetsRetentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Stops loading groups. */
    public void close() {
        runtime.close();
    }

    /** Creates the compacted {@code __consumer_offsets} topic if it does not exist yet. */
    public void ensureOffsetsTopic() {
        runtime.ensureTopic();
    }

    public int partitionFor(String groupId) {
        return runtime.partitionFor(groupId);
    }

    /** Whether this broker coordinates the group now: NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. */
    public Errors coordinatorError(String groupId) {
        return runtime.coordinatorError(partitionFor(groupId));
    }

    private Optional<GroupCoordinatorShard> shard(String groupId) {
        return runtime.shard(partitionFor(groupId));
    }

    /** The group's shard if this broker coordinates it now, else the error to answer. */
    private GroupCoordinatorShard coordinating(String groupId) {
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            throw new CoordinatorException(notHere, "This broker does not coordinate group " + groupId + " now");
        }
        return shard(groupId).orElseThrow(() -> new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE,
                "Group " + groupId + " is not loaded"));
    }

    // ---------------------------------------------------------------- the classic protocol

    /**
     * Handles a JoinGroup: the response completes when the join phase of the rebalance completes
     * (or at once for errors and for the MEMBER_ID_REQUIRED round trip).
     */
    public CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData request, String clientId,
            String clientHost, short version) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(ClassicRebalance.errorJoinResponse(Errors.INVALID_GROUP_ID,
                    request.memberId()));
        }
        try {
            return coordinating(request.groupId()).groups.joinGroup(request, clientId, clientHost, version);
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(ClassicRebalance.errorJoinResponse(e.error(), request.memberId()));
        }
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request) {
        try {
            return coordinating(request.groupId()).groups.syncGroup(request);
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(e.error().code())
                    .setAssignment(new byte[0]));
        }
    }

    public Errors heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        try {
            return coordinating(groupId).groups.heartbeat(groupId, memberId, groupInstanceId, generationId);
        } catch (CoordinatorException e) {
            return e.error();
        }
    }

    /** A member leaving, by member id or (static members) by instance id. */
    public record LeavingMember(String memberId, String groupInstanceId) {
    }

    /** Removes members that leave; returns an error per member, in order. */
    public List<Errors> leaveGroup(String groupId, List<LeavingMember> leaving) {
        try {
            return coordinating(groupId).groups.leaveGroup(groupId, leaving);
        } catch (CoordinatorException e) {
            List<Errors> results = new ArrayList<>();
            leaving.forEach(member -> results.add(e.error()));
            return results;
        }
    }

    // ---------------------------------------------------------------- the consumer protocol (KIP-848)

    /**
     * Handles a ConsumerGroupHeartbeat; the response completes once the in-sync replicas hold what it
     * changed, or with the error Kafka answers (code and message).
     */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost, short version) {
        try {
            String groupId = request.groupId() == null ? "" : request.groupId();
            return coordinating(groupId).groups.consumers.heartbeat(request, clientId, clientHost, version)
                    .exceptionally(failure -> heartbeatError(CoordinatorException.errorOf(failure), null));
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(heartbeatError(e.error(), e.getMessage()));
        }
    }

    private static ConsumerGroupHeartbeatResponseData heartbeatError(Errors error, String message) {
        return new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code())
                .setErrorMessage(message == null ? error.message() : message);
    }

    /** ConsumerGroupDescribe of one group: NOT_COORDINATOR and the like where this broker does not hold it. */
    public ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String groupId) {
        try {
            return coordinating(groupId).groups.consumers.describe(groupId);
        } catch (CoordinatorException e) {
            return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }

    // ---------------------------------------------------------------- share groups (KIP-932)

    /**
     * Handles a ShareGroupHeartbeat; the response completes once the in-sync replicas hold what it changed, or
     * with the error Kafka answers (code and message).
     */
    public CompletableFuture<ShareGroupHeartbeatResponseData> shareGroupHeartbeat(ShareGroupHeartbeatRequestData request,
            String clientId, String clientHost) {
        try {
            ShareGroupManager.validate(request);
            return coordinating(request.groupId()).groups.shares.heartbeat(request, clientId, clientHost)
                    .exceptionally(failure -> shareHeartbeatError(CoordinatorException.errorOf(failure), null));
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(shareHeartbeatError(e.error(), e.getMessage()));
        }
    }

    private static ShareGroupHeartbeatResponseData shareHeartbeatError(Errors error, String message) {
        return new ShareGroupHeartbeatResponseData().setErrorCode(error.code())
                .setErrorMessage(message == null ? error.message() : message);
    }

    /** ShareGroupDescribe of one group: NOT_COORDINATOR and the like where this broker does not hold it. */
    public ShareGroupDescribeResponseData.DescribedGroup describeShareGroup(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(Errors.INVALID_GROUP_ID.code()).setErrorMessage(Errors.INVALID_GROUP_ID.message());
        }
        try {
            return coordinating(groupId).groups.shares.describe(groupId);
        } catch (CoordinatorException e) {
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
    }

    /**
     * The type of the group of this id, if this broker coordinates it now and it exists (not dead, nor being
     * deleted): what the share-partition side asks before it serves a ShareFetch or ShareAcknowledge of a group.
     */
    public Optional<GroupType> groupType(String groupId) {
        return shard(groupId).map(shard -> shard.groups.group(groupId)).flatMap(group -> {
            synchronized (group) {
                return group.isGone() ? Optional.empty() : Optional.of(group.type());
            }
        });
    }

    /**
     * The partitions of the topics a share group subscribes to that exist (as of the group's last epoch), by topic
     * id: the partitions whose share state is the group's, to initialize or to delete with it. Empty when this
     * broker does not coordinate the group or the id names no share group.
     */
    public Set<TopicIdPartition> shareGroupPartitions(String groupId) {
        return shard(groupId).map(shard -> shard.groups.group(groupId)).map(group -> {
            if (!(group instanceof ShareGroup share)) {
                return Set.<TopicIdPartition>of();
            }
            synchronized (share) {
                return ShareGroupManager.subscribedPartitions(share);
            }
        }).orElse(Set.of());
    }

    /**
     * The partitions whose share state may be the share group's, by topic id: every partition of a topic it
     * subscribed to or had its offsets altered in, until DeleteShareGroupOffsets removes the topic (Kafka's
     * initialized topics); kept after its members leave.
     *
     * @throws CoordinatorException NOT_COORDINATOR and the like, GROUP_ID_NOT_FOUND where no share group has the id
     */
    public Map<Uuid, Set<Integer>> shareGroupStatePartitions(String groupId) {
        return coordinating(groupId).groups.shares.statePartitions(groupId);
    }

    /**
     * Adds partitions to the share group's state partitions (AlterShareGroupOffsets) or removes topics from them
     * (DeleteShareGroupOffsets), only while it has no members;
     * completes once the in-sync replicas hold the group's record. Fails with a {@link CoordinatorException}:
     * NOT_COORDINATOR and the like, GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP.
     */
    public CompletableFuture<Void> changeShareGroupStatePartitions(String groupId, Map<Uuid, Set<Integer>> added,
            Set<Uuid> removedTopics) {
        try {
            return coordinating(groupId).groups.shares.changeStatePartitions(groupId, added, removedTopics);
        } catch (CoordinatorException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---------------------------------------------------------------- offsets

    /** One partition's offset in a commit request. */
    public record OffsetToCommit(TopicPartition topicPartition, long offset, int leaderEpoch, String metadata) {
    }

    /**
     * Commits offsets for a group's member of the current generation, or for a "simple" consumer
     * (generation -1, no member id) of a group without members.
     *
     * @return an error per partition (all the same unless a metadata string is too long)
     */
    public Map<TopicPartition, Errors> commitOffsets(String groupId, int generationId, String memberId,
            String groupInstanceId, List<OffsetToCommit> offsets) {
        return commitOffsetsAsync(groupId, generationId, memberId, groupInstanceId, offsets).join();
    }

    /**
     * As {@link #commitOffsets}, completing once the in-sync replicas of the group's offsets
     * partition hold the commit; only then do the offsets take effect.
     */
    public CompletableFuture<Map<TopicPartition, Errors>> commitOffsetsAsync(String groupId, int generationId,
            String memberId, String groupInstanceId, List<OffsetToCommit> offsets) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(allFailed(offsets, Errors.INVALID_GROUP_ID));
        }
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            return CompletableFuture.completedFuture(allFailed(offsets, notHere));
        }
        return runtime.scheduleWriteOperation(partitionFor(groupId),
                        shard -> shard.offsets.commitOffsets(groupId, generationId, memberId, groupInstanceId, offsets))
                .handle((results, failure) -> {
                    if (failure == null) {
                        return results;
                    }
                    // Nothing was stored: every partition that would have been gets the store's error.
                    Errors error = CoordinatorException.errorOf(failure);
                    Map<TopicPartition, Errors> failed = new HashMap<>();
                    for (OffsetToCommit offset : offsets) {
                        boolean tooLarge = offset.metadata() != null && offset.metadata().length() > config.offsetMetadataMaxBytes();
                        failed.put(offset.topicPartition(), tooLarge ? Errors.OFFSET_METADATA_TOO_LARGE : error);
                    }
                    return failed;
                });
    }

    /**
     * A TxnOffsetCommit: offsets committed inside the producer's transaction, stored as its records in
     * {@code __consumer_offsets} and taking effect only when its commit marker is written there (the
     * transaction coordinator added the partition with AddOffsetsToTxn).
     *
     * @return an error per partition, once the in-sync replicas hold the records
     */
    public CompletableFuture<Map<TopicPartition, Errors>> commitTransactionalOffsetsAsync(String groupId, long producerId,
            short producerEpoch, int generationId, String memberId, String groupInstanceId, List<OffsetToCommit> offsets) {
        if (groupId == null || groupId.isEmpty()) {
            return CompletableFuture.completedFuture(allFailed(offsets, Errors.INVALID_GROUP_ID));
        }
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            return CompletableFuture.completedFuture(allFailed(offsets, notHere));
        }
        CoordinatorResult.TransactionalProducer producer = new CoordinatorResult.TransactionalProducer(producerId, producerEpoch);
        return runtime.scheduleWriteOperation(partitionFor(groupId), shard -> shard.offsets.commitTransactionalOffsets(
                        groupId, producer, generationId, memberId, groupInstanceId, offsets))
                .exceptionally(failure -> allFailed(offsets, CoordinatorException.errorOf(failure)));
    }

    /** The group's partitions whose offset an open transaction committed: a stable OffsetFetch waits for them. */
    public Set<TopicPartition> pendingTransactionalOffsets(String groupId) {
        return shard(groupId).map(shard -> shard.offsets.pendingTransactionalOffsets(groupId)).orElse(Set.of());
    }

    private static Map<TopicPartition, Errors> allFailed(List<OffsetToCommit> offsets, Errors error) {
        Map<TopicPartition, Errors> results = new HashMap<>();
        offsets.forEach(offset -> results.put(offset.topicPartition(), error));
        return results;
    }

    /**
     * Kafka's check of an OffsetFetch (v9+) from a member of a consumer group: it must be a member, with
     * its current epoch; a fetch without a member id (epoch -1: tools, classic consumers) is always allowed.
     */
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        if (memberId == null || memberEpoch < 0) {
            return Errors.NONE;
        }
        return shard(groupId).map(shard -> shard.groups.consumers.validateOffsetFetch(groupId, memberId, memberEpoch))
                .orElse(Errors.NONE);
    }

    /** The group's committed offsets: all of them, or those of the given partitions (-1 where none). */
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId, Collection<TopicPartition> requested) {
        Optional<GroupCoordinatorShard> shard = shard(groupId);
        if (shard.isPresent()) {
            return shard.get().offsets.committedOffsets(groupId, requested);
        }
        Map<TopicPartition, CommittedOffset> none = new LinkedHashMap<>();
        if (requested != null) {
            requested.forEach(tp -> none.put(tp, new CommittedOffset(-1, -1, "", -1)));
        }
        return none;
    }

    /**
     * Deletes committed offsets of partitions the group does not consume (OffsetDelete), once the
     * in-sync replicas hold the tombstones.
     *
     * @param subscribedTopics the topics the group's members subscribe to
     * @throws CoordinatorException when this broker does not coordinate the group, the group does not
     *                              exist, or the tombstones could not be stored
     */
    public Map<TopicPartition, Errors> deleteOffsets(String groupId, Collection<TopicPartition> partitionsToDelete,
            Function<GroupSummary, Set<String>> subscribedTopics) {
        coordinating(groupId);
        try {
            return runtime.scheduleWriteOperation(partitionFor(groupId),
                    shard -> shard.offsets.deleteOffsets(groupId, partitionsToDelete, subscribedTopics)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CoordinatorException refused) {
                throw refused;
            }
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Deleting offsets of group " + groupId
                    + " failed: " + e.getCause());
        }
    }

    /** Removes the offsets of groups that stayed empty longer than {@code offsets.retention.minutes}. */
    void expireOffsets() {
        runtime.shards().forEach((partition, shard) -> {
            if (runtime.coordinatorError(partition) == Errors.NONE) { // not while being loaded, nor once no longer ours
                shard.offsets.expireOffsets();
            }
        });
    }

    // ---------------------------------------------------------------- describing, listing, deleting

    /**
     * A snapshot of a group of either type for DescribeGroups, ListGroups and the admin side. A consumer
     * group's members show their subscriptions and assignments in the classic consumer protocol's encoding.
     *
     * @param state the state's name as Kafka's tools show it ({@link GroupState#kafkaName()} for a classic group)
     */
    public record GroupSummary(String groupId, GroupType type, String state, String protocolType, String protocolName,
            List<MemberSummary> members) {

        public boolean isDead() {
            return "Dead".equals(state);
        }

        /** Whether the group has no members (so that it may be deleted, and its offsets reset). */
        public boolean isEmpty() {
            return "Empty".equals(state);
        }
    }

    public record MemberSummary(String memberId, String groupInstanceId, String clientId, String clientHost,
            byte[] metadata, byte[] assignment) {
    }

    public Optional<GroupSummary> describe(String groupId) {
        return shard(groupId).flatMap(shard -> shard.groups.describe(groupId));
    }

    public List<GroupSummary> listGroups() {
        List<GroupSummary> summaries = new ArrayList<>();
        runtime.shards().values().forEach(shard -> summaries.addAll(shard.groups.listGroups()));
        return summaries;
    }

    /** Deletes an empty group and its offsets. */
    public Errors deleteGroup(String groupId) {
        return deleteGroupAsync(groupId).join();
    }

    /** As {@link #deleteGroup}, completing once the in-sync replicas hold the group's tombstones. */
    public CompletableFuture<Errors> deleteGroupAsync(String groupId) {
        try {
            return coordinating(groupId).deleteGroup(groupId);
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(e.error());
        }
    }
}
