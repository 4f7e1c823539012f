package io.tributary.broker.group;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one classic group rebalances: the join phase (who must rejoin, the initial delay and the
 * rebalance timeout, choosing the protocol and the leader), the sync phase (the leader's assignment,
 * written as the group's metadata and answered once the in-sync replicas hold it), members' sessions,
 * and members leaving. Every method holds the group's monitor (timers take it); the state it changes
 * is in memory only, apart from the metadata record, which the group already holds and which is
 * replayed only when the partition is loaded.
 */
final class ClassicRebalance {

    private static final Logger log = LoggerFactory.getLogger(ClassicRebalance.class);

    private final GroupCoordinatorConfig config;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CoordinatorWriter writer;

    ClassicRebalance(GroupCoordinatorConfig config, ScheduledExecutorService scheduler, Clock clock, CoordinatorWriter writer) {
        this.config = config;
        this.scheduler = scheduler;
        this.clock = clock;
        this.writer = writer;
    }

    /** A new member was told MEMBER_ID_REQUIRED: it holds up the join phase until it joins, or for its session timeout. */
    void awaitMemberId(ClassicGroup group, String memberId, int sessionTimeoutMs) {
        group.pendingMemberIds.add(memberId);
        scheduler.schedule(() -> expirePendingMember(group, memberId), sessionTimeoutMs, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<Void> persistGroupMetadata(ClassicGroup group) {
        return persistGroupMetadata(group, false);
    }

    /**
     * Holds the group's lock. Writes the group's metadata; the future completes once the in-sync replicas hold it.
     *
     * @param rebalancePending whether a coordinator loading this record must rebalance the group
     */
    CompletableFuture<Void> persistGroupMetadata(ClassicGroup group, boolean rebalancePending) {
        List<CoordinatorRecords.StoredMember> members = new ArrayList<>();
        for (GroupMember member : group.members.values()) {
            members.add(new CoordinatorRecords.StoredMember(member.memberId, member.groupInstanceId, member.clientId,
                    member.clientHost, member.sessionTimeoutMs, member.rebalanceTimeoutMs,
                    group.protocolName == null ? new byte[0] : member.metadata(group.protocolName), member.assignment));
        }
        CoordinatorRecords.StoredGroup stored = new CoordinatorRecords.StoredGroup(group.protocolType, group.generationId,
                group.protocolName, group.leaderId, group.stateTimestamp, members, rebalancePending);
        SimpleRecord record = new SimpleRecord(clock.millis(), CoordinatorRecords.groupKey(group.groupId),
                CoordinatorRecords.groupValue(stored));
        // Appended under the group's lock, so the log holds the group's metadata records in the order they were made.
        return writer.write(new CoordinatorResult<Void>(List.of(record), null, false));
    }

    void persistQuietly(ClassicGroup group) {
        persistGroupMetadata(group).whenComplete((ignored, failure) -> {
            if (failure != null) {
                log.warn("Group {}: storing its metadata failed: {}", group.groupId, CoordinatorException.errorOf(failure));
            }
        });
    }

    CompletableFuture<JoinGroupResponseData> awaitJoin(ClassicGroup group, GroupMember member) {
        if (member.pendingJoin != null && !member.pendingJoin.isDone()) {
            member.pendingJoin.complete(errorJoinResponse(Errors.REBALANCE_IN_PROGRESS, member.memberId));
        }
        member.pendingJoin = new CompletableFuture<>();
        member.cancelSessionExpiry(); // while waiting to join, the rebalance timeout applies instead
        return member.pendingJoin;
    }

    void prepareRebalance(ClassicGroup group, String reason) {
        if (group.state == GroupState.COMPLETING_REBALANCE) {
            for (GroupMember member : group.members.values()) {
                member.assignment = new byte[0];
                if (member.pendingSync != null) {
                    member.pendingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.REBALANCE_IN_PROGRESS.code()));
                    member.pendingSync = null;
                }
            }
        }
        boolean newGroup = group.state == GroupState.EMPTY;
        group.transitionTo(GroupState.PREPARING_REBALANCE, clock.millis());
        log.info("Group {}: preparing to rebalance (generation {}): {}", group.groupId, group.generationId, reason);
        if (group.joinTimer != null) {
            group.joinTimer.cancel(false);
        }
        long delay;
        if (newGroup && config.initialRebalanceDelayMs() > 0) {
            group.initialDelayPending = true;
            delay = Math.min(config.initialRebalanceDelayMs(), Math.max(1, group.maxRebalanceTimeoutMs()));
        } else {
            group.initialDelayPending = false;
            delay = Math.max(1, group.maxRebalanceTimeoutMs());
        }
        group.joinTimer = scheduler.schedule(() -> onJoinTimer(group), delay, TimeUnit.MILLISECONDS);
        tryCompleteJoin(group);
    }

    private void onJoinTimer(ClassicGroup group) {
        synchronized (group) {
            if (group.state != GroupState.PREPARING_REBALANCE) {
                return;
            }
            if (group.initialDelayPending) {
                group.initialDelayPending = false;
                if (!group.allMembersJoined()) {
                    long remaining = Math.max(1, group.maxRebalanceTimeoutMs() - config.initialRebalanceDelayMs());
                    group.joinTimer = scheduler.schedule(() -> onJoinTimer(group), remaining, TimeUnit.MILLISECONDS);
                    return;
                }
            } else {
                // The rebalance timeout passed: dynamic members that did not rejoin are out. Static
                // members stay until their session times out, as in Kafka: that is what lets one
                // restart without giving up its partitions.
                for (GroupMember member : group.memberList()) {
                    if (member.pendingJoin == null && !member.isStatic()) {
                        log.info("Group {}: member {} did not rejoin in time and is removed", group.groupId, member.memberId);
                        group.remove(member.memberId);
                    }
                }
                group.pendingMemberIds.clear();
                if (!group.isEmpty() && group.members.values().stream().noneMatch(m -> m.pendingJoin != null)) {
                    // No member rejoined to lead: wait again, until sessions remove the absent static members.
                    log.warn("Group {}: no member rejoined within the rebalance timeout", group.groupId);
                    group.joinTimer = scheduler.schedule(() -> onJoinTimer(group), Math.max(1, group.maxRebalanceTimeoutMs()),
                            TimeUnit.MILLISECONDS);
                    return;
                }
            }
            completeJoin(group);
        }
    }

    void tryCompleteJoin(ClassicGroup group) {
        if (group.state == GroupState.PREPARING_REBALANCE && !group.initialDelayPending && group.allMembersJoined()) {
            completeJoin(group);
        }
    }

    private void completeJoin(ClassicGroup group) {
        if (group.joinTimer != null) {
            group.joinTimer.cancel(false);
            group.joinTimer = null;
        }
        group.generationId++;
        if (group.isEmpty()) {
            group.protocolName = null;
            group.transitionTo(GroupState.EMPTY, clock.millis());
            log.info("Group {} is empty at generation {}", group.groupId, group.generationId);
            persistQuietly(group);
            return;
        }
        group.protocolName = group.selectProtocol();
        GroupMember leader = group.leaderId == null ? null : group.members.get(group.leaderId);
        if (leader == null || leader.pendingJoin == null) {
            // The leader must be a member that rejoined (a static member may not have).
            group.leaderId = group.members.values().stream().filter(m -> m.pendingJoin != null).findFirst()
                    .orElse(group.members.values().iterator().next()).memberId;
        }
        group.transitionTo(GroupState.COMPLETING_REBALANCE, clock.millis());
        log.info("Group {}: generation {} with {} members, protocol {}, leader {}", group.groupId, group.generationId,
                group.members.size(), group.protocolName, group.leaderId);
        for (GroupMember member : group.members.values()) {
            CompletableFuture<JoinGroupResponseData> pending = member.pendingJoin;
            member.pendingJoin = null;
            scheduleSessionExpiry(group, member);
            if (pending != null) {
                pending.complete(joinResponse(group, member, Errors.NONE));
            }
        }
    }

    JoinGroupResponseData joinResponse(ClassicGroup group, GroupMember member, Errors error) {
        List<JoinGroupResponseMember> members = new ArrayList<>();
        if (member.memberId.equals(group.leaderId)) {
            for (GroupMember each : group.members.values()) {
                members.add(new JoinGroupResponseMember().setMemberId(each.memberId)
                        .setGroupInstanceId(each.groupInstanceId).setMetadata(each.metadata(group.protocolName)));
            }
        }
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(group.generationId)
                .setProtocolType(group.protocolType).setProtocolName(group.protocolName).setLeader(group.leaderId)
                .setMemberId(member.memberId).setMembers(members);
    }

    static CompletableFuture<JoinGroupResponseData> joinError(Errors error, String memberId) {
        return CompletableFuture.completedFuture(errorJoinResponse(error, memberId));
    }

    static JoinGroupResponseData errorJoinResponse(Errors error, String memberId) {
        return new JoinGroupResponseData().setErrorCode(error.code()).setGenerationId(-1).setProtocolName(null)
                .setLeader("").setMemberId(memberId == null ? "" : memberId).setMembers(List.of());
    }

    private void expirePendingMember(ClassicGroup group, String memberId) {
        synchronized (group) {
            if (group.pendingMemberIds.remove(memberId)) {
                tryCompleteJoin(group);
            }
        }
    }

    void completeSync(ClassicGroup group, Map<String, byte[]> assignments) {
        for (GroupMember member : group.members.values()) {
            member.assignment = assignments.getOrDefault(member.memberId, new byte[0]);
        }
        CompletableFuture<Void> stored = persistGroupMetadata(group);
        if (!stored.isCompletedExceptionally()) {
            group.transitionTo(GroupState.STABLE, clock.millis());
        }
        Map<GroupMember, CompletableFuture<SyncGroupResponseData>> waiting = new HashMap<>();
        for (GroupMember member : group.members.values()) {
            if (member.pendingSync != null) {
                waiting.put(member, member.pendingSync);
                member.pendingSync = null;
            }
        }
        int generation = group.generationId;
        // The assignment is answered once the in-sync replicas hold it, so the next coordinator knows it too.
        stored.whenComplete((ignored, failure) -> {
            Errors outcome = failure == null ? Errors.NONE : CoordinatorException.errorOf(failure);
            synchronized (group) {
                waiting.forEach((member, sync) -> sync.complete(outcome == Errors.NONE ? syncResponse(group, member.assignment)
                        : new SyncGroupResponseData().setErrorCode(outcome.code())));
                boolean current = group.generationId == generation
                        && (group.state == GroupState.STABLE || group.state == GroupState.COMPLETING_REBALANCE);
                if (outcome != Errors.NONE && current) {
                    prepareRebalance(group, "its metadata could not be stored");
                }
            }
        });
    }

    static SyncGroupResponseData syncResponse(ClassicGroup group, byte[] assignment) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName).setAssignment(assignment);
    }

    static CompletableFuture<SyncGroupResponseData> syncError(Errors error) {
        return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]));
    }

    void removeMember(ClassicGroup group, GroupMember member, String reason) {
        log.info("Group {}: member {} {}", group.groupId, member.memberId, reason);
        if (member.pendingJoin != null) {
            member.pendingJoin.complete(errorJoinResponse(Errors.UNKNOWN_MEMBER_ID, member.memberId));
        }
        if (member.pendingSync != null) {
            member.pendingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        }
        group.remove(member.memberId);
    }

    void afterMemberRemoved(ClassicGroup group) {
        switch (group.state) {
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, "a member left");
            default -> {
            }
        }
    }

    void scheduleSessionExpiry(ClassicGroup group, GroupMember member) {
        member.cancelSessionExpiry();
        member.sessionExpiry = scheduler.schedule(() -> expireSession(group, member), member.sessionTimeoutMs,
                TimeUnit.MILLISECONDS);
    }

    private void expireSession(ClassicGroup group, GroupMember member) {
        synchronized (group) {
            if (group.members.get(member.memberId) != member || member.pendingJoin != null) {
                return;
            }
            removeMember(group, member, "was removed: no heartbeat within its session timeout of "
                    + member.sessionTimeoutMs + " ms");
            afterMemberRemoved(group);
        }
    }
}
