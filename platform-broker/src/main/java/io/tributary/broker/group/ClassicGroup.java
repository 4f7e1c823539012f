package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.GroupType;

/**
 * The state of one classic group: its state, generation, chosen protocol, leader, members and
 * committed offsets. Plain state with the rules that need no I/O; the {@link GroupMetadataManager},
 * its {@link ClassicRebalance} and the {@link OffsetMetadataManager} drive it, holding the group's
 * monitor for every access.
 */
final class ClassicGroup extends Group {

    GroupState state = GroupState.EMPTY;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    /** Members that were told MEMBER_ID_REQUIRED and have not joined with their id yet. */
    final Set<String> pendingMemberIds = new HashSet<>();
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    final Map<String, String> staticMembers = new HashMap<>();
    /** Completes the join phase when the rebalance timeout (or the initial delay) passes. */
    ScheduledFuture<?> joinTimer;
    /** Whether the join phase waits for the initial delay of a new group rather than for members. */
    boolean initialDelayPending;
    /** Replayed from a record stored before a rebalance the group still has to go through (a downgrade). */
    boolean rebalanceOnLoad;

    ClassicGroup(String groupId, long now) {
        super(groupId, now);
    }

    @Override
    GroupType type() {
        return GroupType.CLASSIC;
    }

    @Override
    String stateName() {
        return state.kafkaName();
    }

    @Override
    boolean isEmptyState() {
        return state == GroupState.EMPTY;
    }

    @Override
    void markDead(long now) {
        transitionTo(GroupState.DEAD, now);
    }

    @Override
    boolean offsetsExpireOneByOne() {
        return protocolType == null || protocolType.isEmpty();
    }

    /** @throws IllegalStateException when {@link GroupState#canFollow} does not allow it: a coordinator bug */
    void transitionTo(GroupState next, long now) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state.kafkaName() + " to "
                    + next.kafkaName());
        }
        state = next;
        stateTimestamp = now;
    }

    /** The state a group replayed from the log comes to life in: empty, or stable with the members it had. */
    void restore(long stateTimestamp) {
        this.state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        this.stateTimestamp = stateTimestamp;
    }

    @Override
    boolean isGone() {
        return state == GroupState.DEAD || deletionPending;
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    Optional<GroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    Optional<String> staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? Optional.empty() : Optional.ofNullable(staticMembers.get(groupInstanceId));
    }

    void add(GroupMember member) {
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    void remove(String memberId) {
        GroupMember removed = members.remove(memberId);
        if (removed == null) {
            return;
        }
        removed.cancelSessionExpiry();
        if (removed.isStatic()) {
            staticMembers.remove(removed.groupInstanceId, memberId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Whether a joining member's protocols fit the group: same protocol type, and one protocol all share. */
    boolean supports(String memberProtocolType, List<GroupMember.Protocol> memberProtocols) {
        if (members.isEmpty()) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        return memberProtocols.stream().anyMatch(p -> members.values().stream().allMatch(m -> m.supports(p.name())));
    }

    /** Whether one protocol is supported by every member, so that {@link #selectProtocol} has one to choose. */
    boolean sharesAProtocol() {
        return !members.isEmpty() && members.values().iterator().next().protocols.stream()
                .anyMatch(p -> members.values().stream().allMatch(m -> m.supports(p.name())));
    }

    /** Kafka's vote: every member votes for its most preferred protocol that all members support. */
    String selectProtocol() {
        Set<String> candidates = new HashSet<>();
        members.values().iterator().next().protocols.forEach(p -> candidates.add(p.name()));
        for (GroupMember member : members.values()) {
            candidates.removeIf(name -> !member.supports(name));
        }
        Map<String, Integer> votes = new HashMap<>();
        for (GroupMember member : members.values()) {
            member.protocols.stream().map(GroupMember.Protocol::name).filter(candidates::contains).findFirst()
                    .ifPresent(name -> votes.merge(name, 1, Integer::sum));
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
    }

    boolean allMembersJoined() {
        return pendingMemberIds.isEmpty() && members.values().stream().allMatch(m -> m.pendingJoin != null);
    }

    int maxRebalanceTimeoutMs() {
        return members.values().stream().mapToInt(m -> m.rebalanceTimeoutMs).max().orElse(0);
    }

    /**
     * Ends the group: its timers stop, each request waiting in a join or sync phase is answered with
     * {@code error}, and the group is dead (unloaded, or replaced by a consumer group).
     */
    void end(org.apache.kafka.common.protocol.Errors error, long now) {
        if (joinTimer != null) {
            joinTimer.cancel(false);
            joinTimer = null;
        }
        for (GroupMember member : members.values()) {
            member.cancelSessionExpiry();
            if (member.pendingJoin != null) {
                member.pendingJoin.complete(ClassicRebalance.errorJoinResponse(error, member.memberId));
                member.pendingJoin = null;
            }
            if (member.pendingSync != null) {
                member.pendingSync.complete(new org.apache.kafka.common.message.SyncGroupResponseData()
                        .setErrorCode(error.code()).setAssignment(new byte[0]));
                member.pendingSync = null;
            }
        }
        transitionTo(GroupState.DEAD, now);
    }

    Collection<GroupMember> memberList() {
        return new ArrayList<>(members.values());
    }
}
