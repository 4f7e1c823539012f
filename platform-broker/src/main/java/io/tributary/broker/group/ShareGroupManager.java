package io.tributary.broker.group;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import io.tributary.broker.group.assignor.SimpleShareAssignor;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KIP-932 share groups of one partition of {@code __consumer_offsets} (the share-group half of Kafka's
 * {@code GroupMetadataManager}): ShareGroupHeartbeat, in which members join with an id of their own, heartbeat
 * and leave; the group epoch, moved by members, subscriptions and the subscribed topics' partitions; the target
 * assignment of the {@link SimpleShareAssignor}, which each member takes at once (nothing is revoked in a share
 * group); sessions; ShareGroupDescribe.
 *
 * <p>As for consumer groups, every change happens under the group's monitor and is answered once the in-sync
 * replicas hold the group's record (the whole group, one record), so that a failover loses no epoch a member
 * saw; a load replays the record ({@link CoordinatorRecords#readShareGroup}).
 */
final class ShareGroupManager {

    private static final Logger log = LoggerFactory.getLogger(ShareGroupManager.class);

    private final ShareGroupConfig config;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CoordinatorWriter writer;
    private final GroupMetadataManager groups;
    private final Supplier<Collection<TopicInfo>> topics;

    ShareGroupManager(ShareGroupConfig config, ScheduledExecutorService scheduler, Clock clock, CoordinatorWriter writer,
            GroupMetadataManager groups, Supplier<Collection<TopicInfo>> topics) {
        this.config = config;
        this.scheduler = scheduler;
        this.clock = clock;
        this.writer = writer;
        this.groups = groups;
        this.topics = topics;
    }

    // ---------------------------------------------------------------- ShareGroupHeartbeat

    /**
     * Handles a heartbeat: a join (epoch 0), a leave (-1) or a member's regular heartbeat. Completes once the
     * in-sync replicas hold what changed.
     *
     * @throws CoordinatorException with Kafka's error for a request it refuses
     */
    CompletableFuture<ShareGroupHeartbeatResponseData> heartbeat(ShareGroupHeartbeatRequestData request,
            String clientId, String clientHost) {
        validate(request);
        boolean joining = request.memberEpoch() == 0;
        ShareGroup group = groups.shareGroup(request.groupId(), joining);
        synchronized (group) {
            if (group.isGone()) {
                throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + group.groupId + " is being deleted");
            }
            if (request.memberEpoch() == ShareGroupMember.LEAVE_GROUP_MEMBER_EPOCH) {
                return leave(group, request.memberId());
            }
            return joinOrHeartbeat(group, request, clientId, clientHost);
        }
    }

    /** Kafka's checks of a heartbeat's fields, before anything is looked up (a blank string counts as empty). */
    static void validate(ShareGroupHeartbeatRequestData request) {
        if (request.memberId() == null || request.memberId().isBlank()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (request.groupId() == null || request.groupId().isBlank()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (request.rackId() != null && request.rackId().isBlank()) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "RackId can't be empty.");
        }
        if (request.memberEpoch() == 0) {
            if (request.subscribedTopicNames() == null || request.subscribedTopicNames().isEmpty()) {
                throw new CoordinatorException(Errors.INVALID_REQUEST, "SubscribedTopicNames must be set in first request.");
            }
        } else if (request.memberEpoch() < ShareGroupMember.LEAVE_GROUP_MEMBER_EPOCH) {
            throw new CoordinatorException(Errors.INVALID_REQUEST, "MemberEpoch is invalid.");
        }
    }

    private CompletableFuture<ShareGroupHeartbeatResponseData> joinOrHeartbeat(ShareGroup group,
            ShareGroupHeartbeatRequestData request, String clientId, String clientHost) {
        ShareGroupMember member = group.members.get(request.memberId());
        boolean joining = request.memberEpoch() == 0;
        if (member == null && group.members.size() >= config.maxSize()) {
            throw new CoordinatorException(Errors.GROUP_MAX_SIZE_REACHED, "The share group has reached its maximum capacity of "
                    + config.maxSize() + " members.");
        }
        if (member == null && !joining) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId()
                    + " is not a member of group " + group.groupId + ".");
        }
        if (member == null) {
            member = new ShareGroupMember(request.memberId());
            group.members.put(member.memberId, member);
            log.info("Group {}: member {} joins the share group", group.groupId, member.memberId);
        } else if (!joining) {
            checkEpoch(member, request.memberEpoch());
        }
        // A known member joining again (epoch 0, after it was fenced) takes up the group's assignment from scratch.
        Fingerprint before = Fingerprint.of(group, member);
        Map<Uuid, Set<Integer>> assignedBefore = member.assigned;
        boolean subscriptionChanged = update(member, request, clientId, clientHost);
        updateTargetAssignment(group, subscriptionChanged, "member " + member.memberId + (joining ? " joined" : " changed its subscription"));
        reconcile(group, member);
        scheduleSession(group, member);
        ShareGroupHeartbeatResponseData response = new ShareGroupHeartbeatResponseData().setMemberId(member.memberId)
                .setMemberEpoch(member.memberEpoch).setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        if (joining || !member.assigned.equals(assignedBefore)) {
            response.setAssignment(assignment(member.assigned));
        }
        if (!joining && Fingerprint.of(group, member).equals(before)) {
            return CompletableFuture.completedFuture(response);
        }
        group.stateTimestamp = clock.millis();
        return write(group, response);
    }

    /** Kafka's epoch check: the member's epoch, or the one before (the response that moved it on was lost). */
    private static void checkEpoch(ShareGroupMember member, int received) {
        if (received > member.memberEpoch) {
            throw new CoordinatorException(Errors.FENCED_MEMBER_EPOCH, "The share group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
        if (received < member.memberEpoch && received != member.previousMemberEpoch) {
            throw new CoordinatorException(Errors.FENCED_MEMBER_EPOCH, "The share group member has a smaller member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch
                    + "). The member must abandon all its partitions and rejoin.");
        }
    }

    /** Takes what the heartbeat says; true when the member's subscription changed. */
    private static boolean update(ShareGroupMember member, ShareGroupHeartbeatRequestData request, String clientId,
            String clientHost) {
        member.clientId = clientId;
        member.clientHost = clientHost;
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.subscribedTopicNames() != null && !request.subscribedTopicNames().equals(member.subscribedTopicNames)) {
            member.subscribedTopicNames = List.copyOf(request.subscribedTopicNames());
            log.info("Member {} subscribes to {}", member.memberId, member.subscribedTopicNames);
            return true;
        }
        return false;
    }

    private CompletableFuture<ShareGroupHeartbeatResponseData> leave(ShareGroup group, String memberId) {
        ShareGroupMember member = group.members.get(memberId);
        if (member == null) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                    + group.groupId + ".");
        }
        removeMember(group, member, "left the group");
        return write(group, new ShareGroupHeartbeatResponseData().setMemberId(memberId)
                .setMemberEpoch(ShareGroupMember.LEAVE_GROUP_MEMBER_EPOCH));
    }

    /** Removes a member; the group moves to a new epoch, and its partitions go to the others. */
    private void removeMember(ShareGroup group, ShareGroupMember member, String why) {
        group.remove(member.memberId, clock.millis());
        log.info("Group {}: member {} {}", group.groupId, member.memberId, why);
        updateTargetAssignment(group, true, "member " + member.memberId + " " + why);
    }

    // ---------------------------------------------------------------- assignment

    /**
     * Holds the group's lock. Moves the group to a new epoch when {@code changed} (members or subscriptions) or
     * when the subscribed topics changed (partitions added, a topic created, deleted or recreated), and computes
     * the target assignment of a new epoch.
     */
    private void updateTargetAssignment(ShareGroup group, boolean changed, String why) {
        Map<String, ShareGroup.SubscribedTopic> metadata = subscriptionMetadata(group);
        if (changed || !metadata.equals(group.subscriptionMetadata)) {
            group.groupEpoch++;
            group.subscriptionMetadata = metadata;
            group.addStatePartitions(subscribedPartitionsById(group));
            log.info("Group {} moves to epoch {}: {}", group.groupId, group.groupEpoch, changed ? why : "subscribed topics changed");
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            Map<String, Set<String>> subscriptions = new HashMap<>();
            group.members.values().forEach(member -> subscriptions.put(member.memberId, Set.copyOf(member.subscribedTopicNames)));
            Map<String, SimpleShareAssignor.Topic> described = new HashMap<>();
            group.subscriptionMetadata.forEach((name, topic) -> described.put(name,
                    new SimpleShareAssignor.Topic(topic.id(), topic.partitions())));
            Map<String, Map<Uuid, Set<Integer>>> next = SimpleShareAssignor.assign(subscriptions, described,
                    Map.copyOf(group.targetAssignment));
            group.targetAssignment.clear();
            group.targetAssignment.putAll(next);
            group.assignmentEpoch = group.groupEpoch;
        }
    }

    /** The subscribed topics that exist, with their ids and partition counts (internal topics never). */
    private Map<String, ShareGroup.SubscribedTopic> subscriptionMetadata(ShareGroup group) {
        Set<String> subscribed = new HashSet<>();
        group.members.values().forEach(member -> subscribed.addAll(member.subscribedTopicNames));
        Map<String, ShareGroup.SubscribedTopic> metadata = new TreeMap<>();
        for (TopicInfo topic : topics.get()) {
            if (subscribed.contains(topic.name()) && !topic.isInternal()) {
                metadata.put(topic.name(), new ShareGroup.SubscribedTopic(topic.id(), topic.partitionCount()));
            }
        }
        return Map.copyOf(metadata);
    }

    /** A member takes its target at once: there is nothing to revoke first in a share group. */
    private static void reconcile(ShareGroup group, ShareGroupMember member) {
        if (member.memberEpoch != group.assignmentEpoch) {
            member.previousMemberEpoch = member.memberEpoch;
            member.memberEpoch = group.assignmentEpoch;
        }
        member.assigned = Map.copyOf(group.targetAssignment.getOrDefault(member.memberId, Map.of()));
    }

    // ---------------------------------------------------------------- sessions

    private void scheduleSession(ShareGroup group, ShareGroupMember member) {
        member.cancelTimers();
        member.sessionTimer = scheduler.schedule(() -> expire(group, member.memberId), config.sessionTimeoutMs(),
                TimeUnit.MILLISECONDS);
    }

    private void expire(ShareGroup group, String memberId) {
        try {
            synchronized (group) {
                ShareGroupMember member = group.members.get(memberId);
                if (member == null || group.isGone()) {
                    return;
                }
                removeMember(group, member, "did not heartbeat within " + config.sessionTimeoutMs()
                        + " ms (group.share.session.timeout.ms)");
                write(group, null).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("Group {}: storing the removal of member {} failed: {}", group.groupId, memberId,
                                CoordinatorException.errorOf(failure));
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Group {}: removing member {} failed: {}", group.groupId, memberId, e.toString());
        }
    }

    /** Holds the group's lock. After a load: every member gets a fresh session from the new coordinator. */
    void activate(ShareGroup group) {
        group.members.values().forEach(member -> scheduleSession(group, member));
    }

    // ---------------------------------------------------------------- share-partition state, for the admin side

    /**
     * The partitions whose share state may be the group's ({@link ShareGroup#statePartitions}).
     *
     * @throws CoordinatorException GROUP_ID_NOT_FOUND where no share group has this id
     */
    Map<Uuid, Set<Integer>> statePartitions(String groupId) {
        ShareGroup group = existingShareGroup(groupId);
        synchronized (group) {
            if (group.isGone()) {
                throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.");
            }
            Map<Uuid, Set<Integer>> copy = new HashMap<>();
            group.statePartitions.forEach((topicId, partitions) -> copy.put(topicId, Set.copyOf(partitions)));
            return copy;
        }
    }

    /**
     * Changes the group's state partitions, only while it has no members, as Kafka's AlterShareGroupOffsets
     * ({@code added}) and DeleteShareGroupOffsets ({@code removedTopics}) require; completes once the in-sync
     * replicas hold the group's record.
     *
     * @throws CoordinatorException GROUP_ID_NOT_FOUND (no share group of this id, as Kafka 4.1 creates none here),
     *                              NON_EMPTY_GROUP
     */
    CompletableFuture<Void> changeStatePartitions(String groupId, Map<Uuid, Set<Integer>> added, Set<Uuid> removedTopics) {
        ShareGroup group = existingShareGroup(groupId);
        synchronized (group) {
            if (group.isGone()) {
                throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.");
            }
            if (!group.members.isEmpty()) {
                throw new CoordinatorException(Errors.NON_EMPTY_GROUP, "The group " + groupId + " has active members.");
            }
            group.addStatePartitions(added);
            group.statePartitions.keySet().removeAll(removedTopics);
            group.stateTimestamp = clock.millis();
            return write(group, null);
        }
    }

    private ShareGroup existingShareGroup(String groupId) {
        try {
            return groups.shareGroup(groupId, false);
        } catch (CoordinatorException e) {
            throw e.error() == Errors.UNKNOWN_MEMBER_ID
                    ? new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " not found.") : e;
        }
    }

    // ---------------------------------------------------------------- records, responses, views

    /** Holds the group's lock. Writes the whole group; the in-memory group already holds the change. */
    private <T> CompletableFuture<T> write(ShareGroup group, T response) {
        SimpleRecord record = new SimpleRecord(clock.millis(), CoordinatorRecords.groupKey(group.groupId),
                CoordinatorRecords.shareGroupValue(group));
        return writer.write(new CoordinatorResult<>(List.of(record), response, false));
    }

    private static ShareGroupHeartbeatResponseData.Assignment assignment(Map<Uuid, Set<Integer>> assigned) {
        List<ShareGroupHeartbeatResponseData.TopicPartitions> topicPartitions = new ArrayList<>();
        assigned.forEach((id, partitions) -> topicPartitions.add(new ShareGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(id).setPartitions(partitions.stream().sorted().toList())));
        return new ShareGroupHeartbeatResponseData.Assignment().setTopicPartitions(topicPartitions);
    }

    /** ShareGroupDescribe of one group this shard holds. */
    ShareGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        Group found = groups.group(groupId);
        if (!(found instanceof ShareGroup group)) {
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(found == null
                            ? "Group " + groupId + " not found." : "Group " + groupId + " is not a share group.");
        }
        Map<Uuid, String> names = new HashMap<>();
        topics.get().forEach(topic -> names.put(topic.id(), topic.name()));
        synchronized (group) {
            if (group.isGone()) {
                return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " not found.");
            }
            List<ShareGroupDescribeResponseData.Member> members = new ArrayList<>();
            for (ShareGroupMember member : group.members.values()) {
                List<ShareGroupDescribeResponseData.TopicPartitions> assigned = new ArrayList<>();
                member.assigned.forEach((id, partitions) -> {
                    String name = names.get(id);
                    if (name != null) { // a topic deleted since: the next heartbeat's assignment leaves it out
                        assigned.add(new ShareGroupDescribeResponseData.TopicPartitions().setTopicId(id).setTopicName(name)
                                .setPartitions(partitions.stream().sorted().toList()));
                    }
                });
                members.add(new ShareGroupDescribeResponseData.Member().setMemberId(member.memberId)
                        .setRackId(member.rackId).setMemberEpoch(member.memberEpoch)
                        .setClientId(Objects.requireNonNullElse(member.clientId, ""))
                        .setClientHost(Objects.requireNonNullElse(member.clientHost, ""))
                        .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames))
                        .setAssignment(new ShareGroupDescribeResponseData.Assignment().setTopicPartitions(assigned)));
            }
            return new ShareGroupDescribeResponseData.DescribedGroup().setGroupId(groupId).setGroupState(group.stateName())
                    .setGroupEpoch(group.groupEpoch).setAssignmentEpoch(group.assignmentEpoch)
                    .setAssignorName(SimpleShareAssignor.NAME).setMembers(members);
        }
    }

    /**
     * Holds the group's lock. The group as ListGroups, DescribeGroups and the admin side see every group: no
     * protocol metadata (share members speak no classic protocol), protocol type {@value ShareGroup#PROTOCOL_TYPE}.
     */
    static GroupCoordinator.GroupSummary summary(ShareGroup group) {
        List<GroupCoordinator.MemberSummary> members = new ArrayList<>();
        for (ShareGroupMember member : group.members.values()) {
            members.add(new GroupCoordinator.MemberSummary(member.memberId, null,
                    Objects.requireNonNullElse(member.clientId, ""), Objects.requireNonNullElse(member.clientHost, ""),
                    new byte[0], new byte[0]));
        }
        return new GroupCoordinator.GroupSummary(group.groupId, group.type(), group.stateName(), ShareGroup.PROTOCOL_TYPE,
                SimpleShareAssignor.NAME, members);
    }

    /** Holds the group's lock. The partitions of the topics the group subscribes to that exist, by topic id. */
    /** Holds the group's lock. The same partitions as {@link #subscribedPartitions}, as topic id to indexes. */
    static Map<Uuid, Set<Integer>> subscribedPartitionsById(ShareGroup group) {
        Map<Uuid, Set<Integer>> partitions = new HashMap<>();
        group.subscriptionMetadata.values().forEach(topic -> {
            Set<Integer> indexes = new HashSet<>();
            for (int index = 0; index < topic.partitions(); index++) {
                indexes.add(index);
            }
            partitions.put(topic.id(), indexes);
        });
        return partitions;
    }

    static Set<TopicIdPartition> subscribedPartitions(ShareGroup group) {
        Set<TopicIdPartition> partitions = new HashSet<>();
        group.subscriptionMetadata.forEach((name, topic) -> {
            for (int index = 0; index < topic.partitions(); index++) {
                partitions.add(new TopicIdPartition(topic.id(), index, name));
            }
        });
        return Set.copyOf(partitions);
    }

    /** What a heartbeat may change that must be stored before it is answered. */
    private record Fingerprint(int groupEpoch, int assignmentEpoch, int memberEpoch, Map<Uuid, Set<Integer>> assigned,
            List<String> subscribed, String rackId, String clientId, String clientHost) {

        static Fingerprint of(ShareGroup group, ShareGroupMember member) {
            return new Fingerprint(group.groupEpoch, group.assignmentEpoch, member.memberEpoch, member.assigned,
                    member.subscribedTopicNames, member.rackId, member.clientId, member.clientHost);
        }
    }
}
