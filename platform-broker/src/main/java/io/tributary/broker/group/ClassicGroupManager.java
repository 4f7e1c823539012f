package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic protocol's requests on a classic group (the classic-group half of Kafka's
 * {@code GroupMetadataManager}): JoinGroup (new, rejoining and returning static members), SyncGroup,
 * Heartbeat and LeaveGroup, checked here and carried out by the group's {@link ClassicRebalance}. The
 * {@link GroupMetadataManager} routes a request here when its id names a classic group, and to
 * {@link ConsumerGroupClassicMembers} when it names a consumer group.
 *
 * <p>Every method takes the group's monitor.
 */
final class ClassicGroupManager {

    private static final Logger log = LoggerFactory.getLogger(ClassicGroupManager.class);

    private final ClassicRebalance rebalance;
    /** {@code group.max.size}: a member beyond this many is refused. */
    private final int maxSize;

    ClassicGroupManager(ClassicRebalance rebalance, int maxSize) {
        this.rebalance = rebalance;
        this.maxSize = maxSize;
    }

    /**
     * A JoinGroup to a classic group, its fields already checked: the response completes when the join
     * phase of the rebalance completes (or at once for errors and for the MEMBER_ID_REQUIRED round trip).
     */
    CompletableFuture<JoinGroupResponseData> join(ClassicGroup group, JoinGroupRequestData request,
            List<GroupMember.Protocol> protocols, int rebalanceTimeout, String clientId, String clientHost, short version) {
        boolean requireKnownMemberId = version >= 4;
        String memberId = request.memberId() == null ? "" : request.memberId();
        synchronized (group) {
            if (group.isGone()) {
                return ClassicRebalance.joinError(Errors.COORDINATOR_NOT_AVAILABLE, memberId);
            }
            if (!group.supports(request.protocolType(), protocols)) {
                return ClassicRebalance.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId);
            }
            String instanceId = request.groupInstanceId();
            if (memberId.isEmpty()) {
                String newMemberId = (clientId == null ? "" : clientId) + "-" + UUID.randomUUID();
                if (instanceId != null) {
                    Optional<String> previous = group.staticMemberId(instanceId);
                    if (previous.isPresent()) {
                        return replaceStaticMember(group, previous.get(), newMemberId, request, clientId, clientHost,
                                protocols, rebalanceTimeout);
                    }
                }
                if (isFull(group)) {
                    return ClassicRebalance.joinError(Errors.GROUP_MAX_SIZE_REACHED, "");
                }
                if (instanceId == null && requireKnownMemberId) {
                    rebalance.awaitMemberId(group, newMemberId, request.sessionTimeoutMs());
                    return ClassicRebalance.joinError(Errors.MEMBER_ID_REQUIRED, newMemberId);
                }
                GroupMember member = new GroupMember(newMemberId, instanceId, clientId, clientHost,
                        request.sessionTimeoutMs(), rebalanceTimeout, protocols);
                return addMemberAndRebalance(group, member, request.protocolType());
            }
            if (group.pendingMemberIds.remove(memberId)) {
                if (isFull(group)) {
                    return ClassicRebalance.joinError(Errors.GROUP_MAX_SIZE_REACHED, "");
                }
                GroupMember member = new GroupMember(memberId, instanceId, clientId, clientHost,
                        request.sessionTimeoutMs(), rebalanceTimeout, protocols);
                return addMemberAndRebalance(group, member, request.protocolType());
            }
            Optional<GroupMember> known = group.member(memberId);
            if (known.isEmpty()) {
                Optional<String> owner = group.staticMemberId(instanceId);
                return ClassicRebalance.joinError(owner.isPresent() ? Errors.FENCED_INSTANCE_ID : Errors.UNKNOWN_MEMBER_ID, memberId);
            }
            GroupMember member = known.get();
            if (member.isStatic() && !member.groupInstanceId.equals(instanceId)) {
                return ClassicRebalance.joinError(Errors.FENCED_INSTANCE_ID, memberId);
            }
            return rejoin(group, member, protocols, request.sessionTimeoutMs(), rebalanceTimeout);
        }
    }

    /** Holds the group's lock. Whether a member not in the group yet would take it past {@code group.max.size}. */
    private boolean isFull(ClassicGroup group) {
        if (group.members.size() < maxSize) {
            return false;
        }
        log.info("Group {}: refusing a new member, the group has {} members (group.max.size {})", group.groupId,
                group.members.size(), maxSize);
        return true;
    }

    private CompletableFuture<JoinGroupResponseData> rejoin(ClassicGroup group, GroupMember member,
            List<GroupMember.Protocol> protocols, int sessionTimeoutMs, int rebalanceTimeoutMs) {
        boolean sameProtocols = member.sameProtocols(protocols);
        member.protocols = protocols;
        member.sessionTimeoutMs = sessionTimeoutMs;
        member.rebalanceTimeoutMs = rebalanceTimeoutMs;
        switch (group.state) {
            case PREPARING_REBALANCE -> {
                // As Kafka's maybeCompleteJoinPhase: the last member to rejoin ends the join phase,
                // rather than the rebalance timeout (max.poll.interval.ms, minutes for consumers).
                CompletableFuture<JoinGroupResponseData> joined = rebalance.awaitJoin(group, member);
                rebalance.tryCompleteJoin(group);
                return joined;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                if (sameProtocols && !member.memberId.equals(group.leaderId)) {
                    // Nothing changed: answer with the current generation, as Kafka does.
                    return CompletableFuture.completedFuture(rebalance.joinResponse(group, member, Errors.NONE));
                }
                if (sameProtocols && group.state == GroupState.COMPLETING_REBALANCE) {
                    return CompletableFuture.completedFuture(rebalance.joinResponse(group, member, Errors.NONE));
                }
                CompletableFuture<JoinGroupResponseData> joined = rebalance.awaitJoin(group, member);
                rebalance.prepareRebalance(group, "member " + member.memberId + " rejoined");
                return joined;
            }
            default -> {
                return ClassicRebalance.joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId);
            }
        }
    }

    private CompletableFuture<JoinGroupResponseData> addMemberAndRebalance(ClassicGroup group, GroupMember member,
            String protocolType) {
        if (group.isEmpty()) {
            group.protocolType = protocolType;
        }
        group.add(member);
        CompletableFuture<JoinGroupResponseData> joined = rebalance.awaitJoin(group, member);
        if (group.state == GroupState.PREPARING_REBALANCE) {
            rebalance.tryCompleteJoin(group);
        } else {
            rebalance.prepareRebalance(group, "member " + member.memberId + " joined");
        }
        return joined;
    }

    private CompletableFuture<JoinGroupResponseData> replaceStaticMember(ClassicGroup group, String oldMemberId,
            String newMemberId, JoinGroupRequestData request, String clientId, String clientHost,
            List<GroupMember.Protocol> protocols, int rebalanceTimeout) {
        GroupMember old = group.members.get(oldMemberId);
        GroupMember replacement = new GroupMember(newMemberId, request.groupInstanceId(), clientId, clientHost,
                request.sessionTimeoutMs(), rebalanceTimeout, protocols);
        replacement.assignment = old.assignment;
        boolean wasLeader = oldMemberId.equals(group.leaderId);
        if (old.pendingJoin != null) {
            old.pendingJoin.complete(ClassicRebalance.errorJoinResponse(Errors.FENCED_INSTANCE_ID, oldMemberId));
        }
        if (old.pendingSync != null) {
            old.pendingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.FENCED_INSTANCE_ID.code()));
        }
        group.remove(oldMemberId);
        group.add(replacement);
        if (wasLeader) {
            group.leaderId = newMemberId;
        }
        if (group.state == GroupState.STABLE && group.selectProtocol().equals(group.protocolName)) {
            // A static member coming back keeps its assignment without a rebalance unless the group's
            // protocol would change, as in Kafka. Its subscription bytes may differ (a restarted
            // consumer owns no partitions yet), which is no reason to rebalance.
            rebalance.persistQuietly(group);
            rebalance.scheduleSessionExpiry(group, replacement);
            JoinGroupResponseData response = rebalance.joinResponse(group, replacement, Errors.NONE);
            if (wasLeader) {
                response.setSkipAssignment(true);
            }
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<JoinGroupResponseData> joined = rebalance.awaitJoin(group, replacement);
        if (group.state == GroupState.PREPARING_REBALANCE) {
            rebalance.tryCompleteJoin(group);
        } else {
            rebalance.prepareRebalance(group, "static member " + request.groupInstanceId() + " rejoined with a new member id");
        }
        return joined;
    }

    // ---------------------------------------------------------------- SyncGroup

    CompletableFuture<SyncGroupResponseData> sync(ClassicGroup group, SyncGroupRequestData request) {
        synchronized (group) {
            Errors error = validateMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
            if (error != Errors.NONE) {
                return ClassicRebalance.syncError(error);
            }
            if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType))
                    || (request.protocolName() != null && !request.protocolName().equals(group.protocolName))) {
                return ClassicRebalance.syncError(Errors.INCONSISTENT_GROUP_PROTOCOL);
            }
            GroupMember member = group.members.get(request.memberId());
            switch (group.state) {
                case PREPARING_REBALANCE -> {
                    return ClassicRebalance.syncError(Errors.REBALANCE_IN_PROGRESS);
                }
                case STABLE -> {
                    rebalance.scheduleSessionExpiry(group, member);
                    return CompletableFuture.completedFuture(ClassicRebalance.syncResponse(group, member.assignment));
                }
                case COMPLETING_REBALANCE -> {
                    CompletableFuture<SyncGroupResponseData> synced = new CompletableFuture<>();
                    member.pendingSync = synced;
                    rebalance.scheduleSessionExpiry(group, member);
                    if (member.memberId.equals(group.leaderId)) {
                        Map<String, byte[]> assignments = new HashMap<>();
                        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
                        rebalance.completeSync(group, assignments);
                    }
                    return synced;
                }
                default -> {
                    return ClassicRebalance.syncError(Errors.UNKNOWN_MEMBER_ID);
                }
            }
        }
    }

    /** Kafka's checks of who a request comes from: a known member, not fenced, of the current generation. */
    static Errors validateMember(ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
        if (group.isGone()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        GroupMember member = group.members.get(memberId);
        if (member == null) {
            return group.staticMemberId(groupInstanceId).isPresent() ? Errors.FENCED_INSTANCE_ID : Errors.UNKNOWN_MEMBER_ID;
        }
        if (member.isStatic() && groupInstanceId != null && !member.groupInstanceId.equals(groupInstanceId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (generationId != group.generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- Heartbeat, LeaveGroup

    Errors heartbeat(ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
        synchronized (group) {
            if (group.state == GroupState.EMPTY) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            Errors error = validateMember(group, memberId, groupInstanceId, generationId);
            if (error != Errors.NONE) {
                return error;
            }
            GroupMember member = group.members.get(memberId);
            if (member.pendingJoin == null) {
                rebalance.scheduleSessionExpiry(group, member);
            }
            return group.state == GroupState.PREPARING_REBALANCE ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
    }

    /** Removes members that leave; returns an error per member, in order. */
    List<Errors> leave(ClassicGroup group, List<GroupCoordinator.LeavingMember> leaving) {
        List<Errors> results = new ArrayList<>();
        synchronized (group) {
            boolean removedAny = false;
            for (GroupCoordinator.LeavingMember leaver : leaving) {
                String memberId = leaver.memberId();
                if ((memberId == null || memberId.isEmpty()) && leaver.groupInstanceId() != null) {
                    memberId = group.staticMemberId(leaver.groupInstanceId()).orElse(null);
                }
                GroupMember member = memberId == null ? null : group.members.get(memberId);
                if (member == null && group.staticMemberId(leaver.groupInstanceId()).isPresent()) {
                    // As Kafka: the instance id now belongs to another member id, which fenced this one.
                    results.add(Errors.FENCED_INSTANCE_ID);
                    continue;
                }
                if (member == null) {
                    boolean pending = memberId != null && group.pendingMemberIds.remove(memberId);
                    results.add(pending ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID);
                    continue;
                }
                if (member.isStatic() && leaver.groupInstanceId() != null
                        && !member.groupInstanceId.equals(leaver.groupInstanceId())) {
                    results.add(Errors.FENCED_INSTANCE_ID);
                    continue;
                }
                rebalance.removeMember(group, member, "left the group");
                removedAny = true;
                results.add(Errors.NONE);
            }
            if (removedAny) {
                rebalance.afterMemberRemoved(group);
            }
        }
        return results;
    }
}
