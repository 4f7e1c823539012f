package io.tributary.broker.group;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.coordinator.CoordinatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of consumer groups' members (Kafka's session and rebalance timeouts of
 * {@code GroupMetadataManager}): a member that stops heartbeating, or does not revoke within its rebalance
 * timeout, is removed, and the group moves to a new epoch (or back to a classic group, when only classic
 * members are left). Timers are not stored; a coordinator that loads a group starts them afresh.
 *
 * <p>Callers hold the group's lock; the timers take it when they fire.
 */
final class ConsumerGroupTimers {

    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupTimers.class);

    private final ConsumerGroupConfig config;
    private final ScheduledExecutorService scheduler;
    private final ConsumerGroupManager consumers;
    private final GroupMetadataManager groups;

    ConsumerGroupTimers(ConsumerGroupConfig config, ScheduledExecutorService scheduler, ConsumerGroupManager consumers,
            GroupMetadataManager groups) {
        this.config = config;
        this.scheduler = scheduler;
        this.consumers = consumers;
        this.groups = groups;
    }

    /** A classic member's session is its own (session.timeout.ms of its JoinGroup); the others' the broker's. */
    void scheduleSession(ConsumerGroup group, ConsumerGroupMember member) {
        if (member.sessionTimer != null) {
            member.sessionTimer.cancel(false);
        }
        int timeoutMs = member.usesClassicProtocol() ? member.classic.sessionTimeoutMs() : config.sessionTimeoutMs();
        String setting = member.usesClassicProtocol() ? "session.timeout.ms" : "group.consumer.session.timeout.ms";
        member.sessionTimer = scheduler.schedule(() -> expire(group, member.memberId, "did not heartbeat within "
                + timeoutMs + " ms (" + setting + ")"), timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Starts the member's revocation deadline, unless one runs already. */
    void scheduleRevocationDeadline(ConsumerGroup group, ConsumerGroupMember member) {
        if (member.revocationTimer != null) {
            return;
        }
        int epoch = member.memberEpoch;
        member.revocationTimer = scheduler.schedule(() -> {
            synchronized (group) {
                ConsumerGroupMember current = group.members.get(member.memberId);
                if (current == member && member.memberEpoch == epoch
                        && member.state == ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS) {
                    member.revocationTimer = null;
                    expire(group, member.memberId, "did not revoke its partitions within its rebalance timeout ("
                            + member.rebalanceTimeoutMs + " ms)");
                }
            }
        }, Math.max(1, member.rebalanceTimeoutMs), TimeUnit.MILLISECONDS);
    }

    /** Removes the member (if it is still there) and stores the group without it. */
    void expire(ConsumerGroup group, String memberId, String why) {
        try {
            synchronized (group) {
                ConsumerGroupMember member = group.members.get(memberId);
                if (member == null || group.isGone()) {
                    return;
                }
                CompletableFuture<Void> written = groups.migration.downgradeWithout(group, member);
                if (written == null) {
                    consumers.removeMember(group, member, why);
                    written = consumers.write(group, null);
                }
                written.whenComplete((ignored, failure) -> {
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

    /** After a load: every member gets a fresh session from the new coordinator. */
    void activate(ConsumerGroup group) {
        for (ConsumerGroupMember member : group.members.values()) {
            scheduleSession(group, member);
            if (member.state == ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS) {
                scheduleRevocationDeadline(group, member);
            }
        }
    }
}
