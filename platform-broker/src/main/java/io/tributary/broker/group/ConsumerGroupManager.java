package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import io.tributary.broker.group.assignor.PartitionRacks;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KIP-848 consumer groups of one partition of {@code __consumer_offsets} (the consumer-group half
 * of Kafka's {@code GroupMetadataManager}): ConsumerGroupHeartbeat, in which members join, report what
 * they own and leave; the target assignment, computed by a server-side assignor whenever the group
 * epoch moves ({@link TargetAssignmentBuilder}); each member's reconciliation toward it
 * ({@link CurrentAssignmentBuilder}); sessions and revocation deadlines ({@link ConsumerGroupTimers});
 * ConsumerGroupDescribe ({@link ConsumerGroupDescriptions}).
 *
 * <p>Every change happens under the group's monitor and is answered once the in-sync replicas hold the
 * group's record (the whole group, one record, as classic groups are kept), so that a member never acts
 * on an epoch a failover could lose.
 */
final class ConsumerGroupManager {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupManager.class);

    private final ConsumerGroupConfig config;
    private final Clock clock;
    private final CoordinatorWriter writer;
    private final GroupMetadataManager groups;
    private final Supplier<Collection<TopicInfo>> topics;
    private final TargetAssignmentBuilder targetAssignment;
    private final ConsumerGroupDescriptions descriptions;
    /** Members' sessions and revocation deadlines. */
    final ConsumerGroupTimers timers;

    /** @param racks where partitions' replicas are, read anew for each computation (a snapshot of the cluster) */
    ConsumerGroupManager(ConsumerGroupConfig config, ScheduledExecutorService scheduler, Clock clock,
            CoordinatorWriter writer, GroupMetadataManager groups, Supplier<Collection<TopicInfo>> topics,
            Supplier<PartitionRacks> racks) {
        this.config = config;
        this.clock = clock;
        this.writer = writer;
        this.groups = groups;
        this.topics = topics;
        this.targetAssignment = new TargetAssignmentBuilder(config, topics, racks);
        this.descriptions = new ConsumerGroupDescriptions(topics, targetAssignment.defaultAssignor());
        this.timers = new ConsumerGroupTimers(config, scheduler, this, groups);
    }

    // ---------------------------------------------------------------- ConsumerGroupHeartbeat

    /**
     * Handles a heartbeat: a join (epoch 0), a leave (-1, or -2 for a static member that will be back)
     * or a member's regular heartbeat. Completes once the in-sync replicas hold what changed.
     *
     * @throws CoordinatorException with Kafka's error for a request it refuses
     */
    CompletableFuture<ConsumerGroupHeartbeatResponseData> heartbeat(ConsumerGroupHeartbeatRequestData request,
            String clientId, String clientHost, short version) {
        validate(request, version);
        ConsumerGroup group = groups.consumerGroup(request.groupId(), request.memberEpoch() == 0);
        synchronized (group) {
            if (group.isGone()) {
                throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + group.groupId + " is being deleted");
            }
            if (request.memberEpoch() < 0) {
                return leave(group, request);
            }
            return joinOrHeartbeat(group, request, clientId, clientHost);
        }
    }

    /** Kafka's checks of a heartbeat's fields, before anything is looked up. */
    private void validate(ConsumerGroupHeartbeatRequestData request, short version) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (request.instanceId() != null && request.instanceId().isEmpty()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "InstanceId can't be empty.");
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "RackId can't be empty.");
        }
        boolean noMemberId = request.memberId() == null || request.memberId().isEmpty();
        if (noMemberId && (version >= 1 || request.memberEpoch() != 0)) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (request.memberEpoch() == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw new CoordinatorException(Errors.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw new CoordinatorException(Errors.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw new CoordinatorException(Errors.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        } else if (request.memberEpoch() == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH && request.instanceId() == null) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "InstanceId can't be null when leaving as a static member.");
        } else if (request.memberEpoch() < ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "MemberEpoch " + request.memberEpoch() + " is invalid.");
        }
        if (request.serverAssignor() != null && !targetAssignment.supports(request.serverAssignor())) {
            throw new CoordinatorException(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + request.serverAssignor()
                    + " is not supported. Supported assignors: " + String.join(", ", config.assignors()) + ".");
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            try {
                Pattern.compile(request.subscribedTopicRegex());
            } catch (PatternSyntaxException e) {
                throw new CoordinatorException(Errors.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex `"
                        + request.subscribedTopicRegex() + "` is not a valid regular expression: " + e.getDescription() + ".");
            }
        }
    }

    private CompletableFuture<ConsumerGroupHeartbeatResponseData> joinOrHeartbeat(ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        boolean groupChanged = false;
        ConsumerGroupMember member;
        long now = clock.millis();
        if (request.memberEpoch() == 0) {
            member = join(group, request);
            groupChanged = member.memberEpoch == 0; // a static member taking its place back changes nothing
        } else {
            member = group.members.get(request.memberId());
            if (member == null) {
                throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId()
                        + " is not a member of group " + group.groupId + ".");
            }
            if (request.instanceId() != null && !request.instanceId().equals(member.instanceId)) {
                throw new CoordinatorException(Errors.FENCED_INSTANCE_ID, "Member " + member.memberId
                        + " has instance id " + member.instanceId + ", not " + request.instanceId() + ".");
            }
            checkEpoch(member, request.memberEpoch(), ownedPartitions(request));
        }
        Fingerprint before = Fingerprint.of(group, member);
        groupChanged |= update(member, request, clientId, clientHost);
        updateTargetAssignment(group, groupChanged,
                request.memberEpoch() == 0 ? "member " + member.memberId + " joined" : "subscriptions changed");
        reconcile(group, member, ownedPartitions(request));
        timers.scheduleSession(group, member);
        ConsumerGroupHeartbeatResponseData response = response(group, member);
        if (Fingerprint.of(group, member).equals(before) && request.memberEpoch() != 0) {
            return CompletableFuture.completedFuture(response);
        }
        group.stateTimestamp = now;
        return write(group, response);
    }

    /** Adds the joining member, or gives a static member back its place. */
    private ConsumerGroupMember join(ConsumerGroup group, ConsumerGroupHeartbeatRequestData request) {
        String memberId = request.memberId() == null || request.memberId().isEmpty() ? Uuid.randomUuid().toString()
                : request.memberId();
        var previous = group.staticMember(request.instanceId());
        if (previous.isPresent()) {
            ConsumerGroupMember away = previous.get();
            if (!away.isTemporarilyAway()) {
                throw new CoordinatorException(Errors.UNRELEASED_INSTANCE_ID, "Static member " + request.instanceId()
                        + " of group " + group.groupId + " is still in use by member " + away.memberId + ".");
            }
            // As KIP-848: a static member coming back takes its place, epoch and partitions with it, without a rebalance.
            ConsumerGroupMember back = new ConsumerGroupMember(memberId);
            back.instanceId = away.instanceId;
            back.memberEpoch = away.previousMemberEpoch;
            back.previousMemberEpoch = away.previousMemberEpoch;
            back.state = away.state;
            back.assigned = away.assigned;
            back.pendingRevocation = away.pendingRevocation;
            back.subscribedTopicNames = away.subscribedTopicNames;
            back.subscribedTopicRegex = away.subscribedTopicRegex;
            back.serverAssignor = away.serverAssignor;
            back.rackId = away.rackId;
            Set<TopicPartition> target = group.targetAssignment.get(away.memberId);
            group.remove(away.memberId, clock.millis());
            group.targetAssignment.put(memberId, target == null ? Set.of() : target);
            group.add(back);
            log.info("Group {}: static member {} is back as {}", group.groupId, back.instanceId, memberId);
            return back;
        }
        ConsumerGroupMember rejoining = group.members.get(memberId);
        if (rejoining != null) {
            // A member that lost its epoch starts over: its partitions are free for the next assignment.
            group.remove(memberId, clock.millis());
        } else if (isFull(group)) {
            throw new CoordinatorException(Errors.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum "
                    + "capacity of " + config.maxSize() + " members.");
        }
        ConsumerGroupMember member = new ConsumerGroupMember(memberId);
        member.instanceId = request.instanceId();
        group.add(member);
        return member;
    }

    /**
     * Holds the group's lock. Whether a member not in the group yet would take it past {@code group.consumer.max.size}
     * (a static member taking its place back is not a new one).
     */
    boolean isFull(ConsumerGroup group) {
        return group.members.size() >= config.maxSize();
    }

    /**
     * Kafka's epoch check: the member's epoch, or the one before when the member shows it owns nothing
     * beyond what it has now (the response that moved it on was lost).
     */
    private static void checkEpoch(ConsumerGroupMember member, int received, Set<TopicPartition> owned) {
        if (received == member.memberEpoch) {
            return;
        }
        if (received == member.previousMemberEpoch && owned != null && member.assigned.containsAll(owned)) {
            return;
        }
        throw new CoordinatorException(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a "
                + (received > member.memberEpoch ? "greater" : "smaller") + " member epoch (" + received
                + ") than the one known by the group coordinator (" + member.memberEpoch + ").");
    }

    /** Takes what the heartbeat says changed; true when the member's subscription (or its rack) changed. */
    private static boolean update(ConsumerGroupMember member, ConsumerGroupHeartbeatRequestData request,
            String clientId, String clientHost) {
        boolean subscriptionChanged = false;
        member.clientId = clientId;
        member.clientHost = clientHost;
        if (request.rackId() != null && !request.rackId().equals(member.rackId)) {
            // The assignors place partitions by rack: a member in another rack may need others.
            subscriptionChanged = true;
            member.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.subscribedTopicNames() != null && !request.subscribedTopicNames().equals(member.subscribedTopicNames)) {
            member.subscribedTopicNames = List.copyOf(request.subscribedTopicNames());
            subscriptionChanged = true;
        }
        if (request.subscribedTopicRegex() != null) {
            String regex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
            if (!Objects.equals(regex, member.subscribedTopicRegex)) {
                member.subscribedTopicRegex = regex;
                subscriptionChanged = true;
            }
        }
        if (request.serverAssignor() != null && !request.serverAssignor().equals(member.serverAssignor)) {
            member.serverAssignor = request.serverAssignor();
            subscriptionChanged = true;
        }
        return subscriptionChanged;
    }

    private CompletableFuture<ConsumerGroupHeartbeatResponseData> leave(ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request) {
        ConsumerGroupMember member = group.members.get(request.memberId());
        if (member == null && request.instanceId() != null) {
            member = group.staticMember(request.instanceId()).orElse(null);
        }
        if (member == null) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId()
                    + " is not a member of group " + group.groupId + ".");
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setMemberId(member.memberId).setMemberEpoch(request.memberEpoch());
        if (request.memberEpoch() == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH && member.isStatic()) {
            // It keeps its partitions for its session, to take them back when it returns.
            if (!member.isTemporarilyAway()) {
                member.previousMemberEpoch = member.memberEpoch;
                member.memberEpoch = ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH;
                member.cancelRevocationTimer();
            }
            log.info("Group {}: static member {} is away for at most its session", group.groupId, member.instanceId);
            return write(group, response);
        }
        CompletableFuture<Void> downgraded = groups.migration.downgradeWithout(group, member);
        if (downgraded != null) {
            return downgraded.thenApply(ignored -> response);
        }
        removeMember(group, member, "left the group");
        return write(group, response);
    }

    /**
     * Holds the group's lock. Moves the group to a new epoch when {@code changed} (members or subscriptions)
     * or when the subscribed topics' partitions changed, and computes the target assignment of a new epoch.
     */
    void updateTargetAssignment(ConsumerGroup group, boolean changed, String why) {
        ConsumerGroup.SubscriptionMetadata metadata = targetAssignment.subscriptionMetadata(group);
        if (changed || !metadata.equals(group.subscriptionMetadata)) {
            group.groupEpoch++;
            log.info("Group {} moves to epoch {}: {}", group.groupId, group.groupEpoch, changed ? why
                    : metadata.partitionCounts().equals(group.subscriptionMetadata.partitionCounts()) ? "partitions' racks changed"
                    : "topics changed");
            group.subscriptionMetadata = metadata;
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            targetAssignment.build(group);
        }
    }

    /** Removes a member; the group moves to a new epoch, so that its partitions go to the others. */
    void removeMember(ConsumerGroup group, ConsumerGroupMember member, String why) {
        group.remove(member.memberId, clock.millis());
        group.groupEpoch++;
        group.subscriptionMetadata = targetAssignment.subscriptionMetadata(group);
        log.info("Group {} moves to epoch {}: member {} {}", group.groupId, group.groupEpoch, member.memberId, why);
    }

    /** The subscribed topics and their partitions' racks, as the group epoch would be computed with now. */
    ConsumerGroup.SubscriptionMetadata subscriptionMetadata(ConsumerGroup group) {
        return targetAssignment.subscriptionMetadata(group);
    }

    /** Holds the group's lock. Moves the member toward its target, as far as others' revocations allow. */
    void reconcile(ConsumerGroup group, ConsumerGroupMember member, Set<TopicPartition> ownedByClient) {
        if (member.isTemporarilyAway()) {
            return;
        }
        CurrentAssignmentBuilder.Reconciled next = CurrentAssignmentBuilder.reconcile(member, group.assignmentEpoch,
                group.targetAssignment.getOrDefault(member.memberId, Set.of()),
                tp -> group.heldByOtherThan(member.memberId, tp), ownedByClient);
        if (next.memberEpoch() != member.memberEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = next.memberEpoch();
        }
        member.state = next.state();
        member.assigned = next.assigned();
        member.pendingRevocation = next.pendingRevocation();
        if (member.state == ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS) {
            timers.scheduleRevocationDeadline(group, member);
        } else {
            member.cancelRevocationTimer();
        }
    }

    /** The partitions a heartbeat says the member owns, by name; null when it did not say. */
    private Set<TopicPartition> ownedPartitions(ConsumerGroupHeartbeatRequestData request) {
        if (request.topicPartitions() == null) {
            return null;
        }
        Map<Uuid, String> names = new HashMap<>();
        topics.get().forEach(topic -> names.put(topic.id(), topic.name()));
        Set<TopicPartition> owned = new HashSet<>();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : request.topicPartitions()) {
            String name = names.get(topic.topicId());
            if (name != null) {
                topic.partitions().forEach(partition -> owned.add(new TopicPartition(name, partition)));
            }
        }
        return owned;
    }

    // ---------------------------------------------------------------- records, responses

    /** Holds the group's lock. Writes the whole group; the in-memory group already holds the change. */
    <T> CompletableFuture<T> write(ConsumerGroup group, T response) {
        SimpleRecord record = new SimpleRecord(clock.millis(), CoordinatorRecords.groupKey(group.groupId),
                CoordinatorRecords.consumerGroupValue(group));
        return writer.write(new CoordinatorResult<>(List.of(record), response, false));
    }

    /**
     * A member still on its way to the target (revoking, or waiting for partitions others release) is
     * asked to heartbeat at most every {@value #RECONCILING_HEARTBEAT_INTERVAL_MS} ms, so that it learns
     * of a released partition, or tells of its own revocation, within that rather than a whole interval;
     * the protocol lets the coordinator set the interval in every response. Members at the target
     * heartbeat at the configured interval.
     */
    static final int RECONCILING_HEARTBEAT_INTERVAL_MS = 500;

    private int heartbeatIntervalMs(ConsumerGroup group, ConsumerGroupMember member) {
        boolean reconciled = member.state == ConsumerGroupMember.MemberState.STABLE
                && member.memberEpoch == group.assignmentEpoch;
        return reconciled ? config.heartbeatIntervalMs() : Math.min(config.heartbeatIntervalMs(), RECONCILING_HEARTBEAT_INTERVAL_MS);
    }

    private ConsumerGroupHeartbeatResponseData response(ConsumerGroup group, ConsumerGroupMember member) {
        Map<String, Uuid> ids = descriptions.topicIds();
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> assigned = new ArrayList<>();
        ConsumerGroupDescriptions.byTopic(member.assigned).forEach((topic, partitions) -> {
            Uuid id = ids.get(topic);
            if (id != null) {
                assigned.add(new ConsumerGroupHeartbeatResponseData.TopicPartitions().setTopicId(id).setPartitions(partitions));
            }
        });
        return new ConsumerGroupHeartbeatResponseData().setMemberId(member.memberId).setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(heartbeatIntervalMs(group, member))
                .setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment().setTopicPartitions(assigned));
    }

    /** ConsumerGroupDescribe of one group this shard holds. */
    ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        return descriptions.describe(groupId, groups.group(groupId));
    }

    /** Holds the group's lock. The group as DescribeGroups, ListGroups and the admin side see every group. */
    GroupCoordinator.GroupSummary summary(ConsumerGroup group) {
        return descriptions.summary(group);
    }

    /**
     * Holds the group's lock. Kafka's checks of an OffsetCommit to a consumer group: a member commits
     * with its current epoch; a commit without a member only while the group has none.
     */
    static Errors validateOffsetCommit(ConsumerGroup group, int memberEpoch, String memberId) {
        if (group.isGone()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (memberEpoch < 0 && (memberId == null || memberId.isEmpty())) {
            return group.members.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        ConsumerGroupMember member = memberId == null ? null : group.members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (memberEpoch == member.memberEpoch) {
            return Errors.NONE;
        }
        // A classic member knows its epoch as a generation, and understands only the classic protocol's error.
        return member.usesClassicProtocol() ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
    }

    /** An OffsetFetch from a member of a consumer group: UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH, else NONE. */
    Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        if (!(groups.group(groupId) instanceof ConsumerGroup group)) {
            return Errors.NONE;
        }
        synchronized (group) {
            ConsumerGroupMember member = group.members.get(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return member.memberEpoch == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
        }
    }

    /** What a heartbeat may change that must be stored before it is answered. */
    private record Fingerprint(int groupEpoch, int assignmentEpoch, int memberEpoch, ConsumerGroupMember.MemberState state,
            Set<TopicPartition> assigned, Set<TopicPartition> pending, List<String> names, String regex, String assignor,
            String rackId, int rebalanceTimeoutMs) {

        static Fingerprint of(ConsumerGroup group, ConsumerGroupMember member) {
            return new Fingerprint(group.groupEpoch, group.assignmentEpoch, member.memberEpoch, member.state, member.assigned,
                    member.pendingRevocation, member.subscribedTopicNames, member.subscribedTopicRegex, member.serverAssignor,
                    member.rackId, member.rebalanceTimeoutMs);
        }
    }

    /** A consumer group's record replayed from the log (a load): the group, with the offsets it already had. */
    static void replay(ConsumerGroup group, ByteBuffer value) {
        CoordinatorRecords.readConsumerGroup(value, group);
    }
}
