package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import io.tributary.broker.coordinator.CoordinatorException;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members of a consumer group that speak the classic protocol (Kafka's {@code classicGroupJoinToConsumerGroup}
 * and its sync, heartbeat and leave siblings): what lets a live group move between the protocols one
 * consumer at a time. The coordinator assigns them as any member, through the same epochs and
 * {@link CurrentAssignmentBuilder}; the classic protocol only carries it:
 * <ul>
 * <li>JoinGroup is the member's full heartbeat: its ConsumerProtocol subscription gives the topics and the
 * partitions it still owns, it is reconciled toward the target and answered at once with its member
 * epoch as generation, no leader, and no members to assign;</li>
 * <li>SyncGroup gives it its assigned partitions, in the ConsumerProtocol encoding;</li>
 * <li>Heartbeat answers REBALANCE_IN_PROGRESS when it must rejoin: the group epoch moved past it, it has
 * partitions to revoke (it revokes by rejoining), or partitions it waits for were released;</li>
 * <li>its own session timeout applies, and it is removed when it does not rejoin, or sync after joining,
 * within its rebalance timeout.</li>
 * </ul>
 * Every method holds the group's monitor; changes are written as the whole group, as the
 * {@link ConsumerGroupManager} writes it.
 */
final class ConsumerGroupClassicMembers {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupClassicMembers.class);

    private final ConsumerGroupManager consumers;
    private final ScheduledExecutorService scheduler;

    ConsumerGroupClassicMembers(ConsumerGroupManager consumers, ScheduledExecutorService scheduler) {
        this.consumers = consumers;
        this.scheduler = scheduler;
    }

    // ---------------------------------------------------------------- JoinGroup

    CompletableFuture<JoinGroupResponseData> join(ConsumerGroup group, JoinGroupRequestData request,
            List<GroupMember.Protocol> protocols, int rebalanceTimeoutMs, String clientId, String clientHost, short version) {
        synchronized (group) {
            String memberId = request.memberId() == null ? "" : request.memberId();
            if (group.isGone()) {
                return ClassicRebalance.joinError(Errors.COORDINATOR_NOT_AVAILABLE, memberId);
            }
            ConsumerPartitionAssignor.Subscription subscription = supportedSubscription(group, request.protocolType(), protocols);
            if (subscription == null) {
                return ClassicRebalance.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId);
            }
            boolean unknown = memberId.isEmpty();
            if (unknown) {
                memberId = Uuid.randomUuid().toString();
                if (request.groupInstanceId() == null && version >= 4) {
                    return ClassicRebalance.joinError(Errors.MEMBER_ID_REQUIRED, memberId);
                }
            }
            ConsumerGroupMember member = group.members.get(memberId);
            boolean joined = member == null;
            if (member != null && !member.usesClassicProtocol()) {
                return ClassicRebalance.joinError(Errors.UNKNOWN_MEMBER_ID, memberId);
            }
            if (member != null && member.isStatic() && !member.instanceId.equals(request.groupInstanceId())) {
                return ClassicRebalance.joinError(Errors.FENCED_INSTANCE_ID, memberId);
            }
            if (member == null) {
                Optional<ConsumerGroupMember> previous = group.staticMember(request.groupInstanceId());
                if (previous.isPresent() && !unknown) {
                    return ClassicRebalance.joinError(Errors.FENCED_INSTANCE_ID, memberId);
                }
                if (previous.isEmpty() && consumers.isFull(group)) {
                    return ClassicRebalance.joinError(Errors.GROUP_MAX_SIZE_REACHED, "");
                }
                // A member id the group does not know (the one MEMBER_ID_REQUIRED gave, or one it forgot) joins afresh,
                // as in Kafka; a restarted static member takes its former self's place, epoch and partitions.
                member = previous.isPresent() ? replaceStaticMember(group, previous.get(), memberId)
                        : new ConsumerGroupMember(memberId);
                joined = previous.isEmpty();
                member.instanceId = request.groupInstanceId();
                group.add(member);
            }
            member.classic = new ConsumerGroupMember.ClassicMemberMetadata(request.sessionTimeoutMs(), protocols);
            member.clientId = clientId;
            member.clientHost = clientHost;
            member.rebalanceTimeoutMs = rebalanceTimeoutMs;
            boolean rackChanged = false;
            if (subscription.rackId().isPresent() && !subscription.rackId().get().equals(member.rackId)) {
                member.rackId = subscription.rackId().get();
                rackChanged = true; // the assignors place partitions by rack
            }
            List<String> topics = List.copyOf(subscription.topics());
            boolean changed = joined || rackChanged || !topics.equals(member.subscribedTopicNames);
            member.subscribedTopicNames = topics;
            consumers.updateTargetAssignment(group, changed, "member " + memberId + " joined (classic protocol)");
            Set<TopicPartition> owned = Set.copyOf(subscription.ownedPartitions());
            consumers.reconcile(group, member, owned);
            if (member.state == ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS) {
                // Its JoinGroup already tells what it gave up (an eager member revokes everything before it joins).
                consumers.reconcile(group, member, owned);
            }
            member.joinTimer = ConsumerGroupMember.cancel(member.joinTimer);
            consumers.timers.scheduleSession(group, member);
            scheduleSyncDeadline(group, member);
            JoinGroupResponseData response = new JoinGroupResponseData().setErrorCode(Errors.NONE.code())
                    .setMemberId(memberId).setGenerationId(member.memberEpoch)
                    .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(member.classic.protocolName())
                    .setLeader("").setMembers(new ArrayList<>());
            return consumers.write(group, response);
        }
    }

    /** Holds the group's lock. The new member of a static member's instance id, in place of the old one, which is fenced. */
    private ConsumerGroupMember replaceStaticMember(ConsumerGroup group, ConsumerGroupMember old, String memberId) {
        ConsumerGroupMember replacement = new ConsumerGroupMember(memberId);
        replacement.memberEpoch = old.isTemporarilyAway() ? old.previousMemberEpoch : old.memberEpoch;
        replacement.previousMemberEpoch = old.previousMemberEpoch;
        replacement.state = old.state;
        replacement.assigned = old.assigned;
        replacement.pendingRevocation = old.pendingRevocation;
        replacement.subscribedTopicNames = old.subscribedTopicNames;
        replacement.subscribedTopicRegex = old.subscribedTopicRegex;
        replacement.rackId = old.rackId;
        Set<TopicPartition> target = group.targetAssignment.getOrDefault(old.memberId, Set.of());
        group.remove(old.memberId, group.stateTimestamp);
        group.targetAssignment.put(memberId, target);
        log.info("Group {}: static member {} is back as {} (classic protocol), with its partitions", group.groupId,
                old.instanceId, memberId);
        return replacement;
    }

    /**
     * The member's ConsumerProtocol subscription when it can be a member of this consumer group: the "consumer"
     * protocol type, and a protocol every other classic member supports; null otherwise.
     */
    private static ConsumerPartitionAssignor.Subscription supportedSubscription(ConsumerGroup group, String protocolType,
            List<GroupMember.Protocol> protocols) {
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType) || protocols.isEmpty()) {
            return null;
        }
        for (ConsumerGroupMember other : group.members.values()) {
            if (other.usesClassicProtocol() && protocols.stream().noneMatch(p -> other.classic.protocols().stream()
                    .anyMatch(q -> q.name().equals(p.name())))) {
                return null;
            }
        }
        try {
            return ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(protocols.get(0).metadata()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- SyncGroup

    CompletableFuture<SyncGroupResponseData> sync(ConsumerGroup group, SyncGroupRequestData request) {
        synchronized (group) {
            ConsumerGroupMember member = group.members.get(request.memberId());
            Errors error = validate(group, member, request.groupInstanceId(), request.generationId());
            if (error != Errors.NONE) {
                return ClassicRebalance.syncError(error);
            }
            if ((request.protocolType() != null && !ConsumerProtocol.PROTOCOL_TYPE.equals(request.protocolType()))
                    || (request.protocolName() != null && !request.protocolName().equals(member.classic.protocolName()))) {
                return ClassicRebalance.syncError(Errors.INCONSISTENT_GROUP_PROTOCOL);
            }
            if (group.groupEpoch > member.memberEpoch && member.state != ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS) {
                // The group moved on since it joined: it rejoins first (a member revoking finishes its revocation first).
                scheduleJoinDeadline(group, member);
                return ClassicRebalance.syncError(Errors.REBALANCE_IN_PROGRESS);
            }
            member.syncTimer = ConsumerGroupMember.cancel(member.syncTimer);
            consumers.timers.scheduleSession(group, member);
            byte[] assignment = Utils.toArray(ConsumerProtocol.serializeAssignment(
                    new ConsumerPartitionAssignor.Assignment(new ArrayList<>(member.assigned))));
            return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(Errors.NONE.code())
                    .setProtocolType(ConsumerProtocol.PROTOCOL_TYPE).setProtocolName(member.classic.protocolName())
                    .setAssignment(assignment));
        }
    }

    // ---------------------------------------------------------------- Heartbeat, LeaveGroup

    Errors heartbeat(ConsumerGroup group, String memberId, String groupInstanceId, int generationId) {
        synchronized (group) {
            ConsumerGroupMember member = group.members.get(memberId);
            Errors error = validate(group, member, groupInstanceId, generationId);
            if (error != Errors.NONE) {
                return error;
            }
            consumers.timers.scheduleSession(group, member);
            if (mustRejoin(group, member)) {
                scheduleJoinDeadline(group, member);
                return Errors.REBALANCE_IN_PROGRESS;
            }
            return Errors.NONE;
        }
    }

    /**
     * Kafka's reasons for a classic member to rejoin: the group epoch moved past it; it has partitions
     * to revoke; or partitions it waits for were released and it can take them.
     */
    private static boolean mustRejoin(ConsumerGroup group, ConsumerGroupMember member) {
        return member.memberEpoch < group.groupEpoch
                || member.state == ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS
                || (member.state == ConsumerGroupMember.MemberState.UNRELEASED_PARTITIONS && !waitsForOthers(group, member));
    }

    private static boolean waitsForOthers(ConsumerGroup group, ConsumerGroupMember member) {
        for (TopicPartition tp : group.targetAssignment.getOrDefault(member.memberId, Set.of())) {
            if (!member.assigned.contains(tp) && group.heldByOtherThan(member.memberId, tp)) {
                return true;
            }
        }
        return false;
    }

    List<Errors> leave(ConsumerGroup group, List<GroupCoordinator.LeavingMember> leaving) {
        List<Errors> results = new ArrayList<>();
        synchronized (group) {
            boolean removed = false;
            for (GroupCoordinator.LeavingMember leaver : leaving) {
                String memberId = leaver.memberId();
                if ((memberId == null || memberId.isEmpty()) && leaver.groupInstanceId() != null) {
                    memberId = group.staticMember(leaver.groupInstanceId()).map(m -> m.memberId).orElse(null);
                }
                ConsumerGroupMember member = memberId == null ? null : group.members.get(memberId);
                if (member == null || !member.usesClassicProtocol()) {
                    boolean fenced = group.staticMember(leaver.groupInstanceId()).isPresent();
                    results.add(fenced ? Errors.FENCED_INSTANCE_ID : Errors.UNKNOWN_MEMBER_ID);
                    continue;
                }
                if (member.isStatic() && leaver.groupInstanceId() != null && !member.instanceId.equals(leaver.groupInstanceId())) {
                    results.add(Errors.FENCED_INSTANCE_ID);
                    continue;
                }
                consumers.removeMember(group, member, "left the group (classic protocol)");
                removed = true;
                results.add(Errors.NONE);
            }
            if (removed) {
                consumers.write(group, null).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("Group {}: storing a classic member's leave failed: {}", group.groupId,
                                CoordinatorException.errorOf(failure));
                    }
                });
            }
        }
        return results;
    }

    /** Kafka's checks of who a classic request comes from: a classic member, not fenced, at its member epoch. */
    private static Errors validate(ConsumerGroup group, ConsumerGroupMember member, String groupInstanceId, int generationId) {
        if (group.isGone()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (member == null || !member.usesClassicProtocol()) {
            return group.staticMember(groupInstanceId).isPresent() ? Errors.FENCED_INSTANCE_ID : Errors.UNKNOWN_MEMBER_ID;
        }
        if (member.isStatic() && groupInstanceId != null && !member.instanceId.equals(groupInstanceId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        return generationId == member.memberEpoch ? Errors.NONE : Errors.ILLEGAL_GENERATION;
    }

    // ---------------------------------------------------------------- deadlines

    private void scheduleJoinDeadline(ConsumerGroup group, ConsumerGroupMember member) {
        if (member.joinTimer == null) {
            member.joinTimer = deadline(group, member, m -> m.joinTimer, (m, t) -> m.joinTimer = t,
                    "did not rejoin within its rebalance timeout (" + member.rebalanceTimeoutMs + " ms)");
        }
    }

    private void scheduleSyncDeadline(ConsumerGroup group, ConsumerGroupMember member) {
        member.syncTimer = ConsumerGroupMember.cancel(member.syncTimer);
        member.syncTimer = deadline(group, member, m -> m.syncTimer, (m, t) -> m.syncTimer = t,
                "did not sync within its rebalance timeout (" + member.rebalanceTimeoutMs + " ms) after joining");
    }

    /** Holds the group's lock. Removes the member after its rebalance timeout, unless this timer was cancelled or replaced. */
    private ScheduledFuture<?> deadline(ConsumerGroup group, ConsumerGroupMember member,
            Function<ConsumerGroupMember, ScheduledFuture<?>> timer, BiConsumer<ConsumerGroupMember, ScheduledFuture<?>> clear,
            String why) {
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        // Scheduled under the group's lock, which the task takes first: self is set by then.
        self[0] = scheduler.schedule(() -> {
            synchronized (group) {
                if (timer.apply(member) != self[0] || group.members.get(member.memberId) != member) {
                    return;
                }
                clear.accept(member, null);
                consumers.timers.expire(group, member.memberId, why);
            }
        }, Math.max(1, member.rebalanceTimeoutMs), TimeUnit.MILLISECONDS);
        return self[0];
    }
}
