package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group changing protocol (Kafka's online migration, KIP-848): the group object of an id is replaced
 * by one of the other kind, committed offsets included, and the new group is written at once, so that a
 * coordinator loading the partition finds it as it was made.
 *
 * <ul>
 * <li><b>Upgrade</b> ({@link #toConsumerGroup}): a consumer-protocol member joins a classic group. An empty
 * group simply changes kind. A live one must be stable and use the "consumer" protocol type: each classic
 * member becomes a member of the consumer group that goes on speaking the classic protocol, subscribed to
 * what its ConsumerProtocol subscription names, owning its last assignment, at the group's generation as
 * epoch; its last assignment is the target until the joining member moves the group epoch on.</li>
 * <li><b>Downgrade</b> ({@link #downgradeWithout}): the last consumer-protocol member leaves (or is removed
 * from) a consumer group whose other members all speak the classic protocol. The group becomes a classic
 * group at the group epoch as generation, its members' assignments as their last, and rebalances at once,
 * so that the classic members rejoin for a fresh generation in which the leaver's partitions are assigned. A
 * classic member replacing the last consumer-protocol member, a static one, downgrades the group alike
 * ({@link #downgradeReplacingStaticMember}).</li>
 * </ul>
 * Both are allowed or not by {@link ConsumerGroupMigrationPolicy}, and only for groups within the other protocol's
 * most members ({@code group.consumer.max.size}, {@code group.max.size}). Every method takes the locks of the groups
 * it converts; the old group is marked dead, and requests that still hold it are answered
 * COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
final class GroupMigration {

    private static final Logger log = LoggerFactory.getLogger(GroupMigration.class);

    private final ConsumerGroupMigrationPolicy policy;
    /** {@code group.consumer.max.size}: a classic group that would be larger with the member upgrading it is not upgraded. */
    private final int consumerMaxSize;
    /** {@code group.max.size}: a consumer group that would be a larger classic group is not downgraded. */
    private final int classicMaxSize;
    private final Clock clock;
    private final Map<String, Group> groups;
    private final ClassicRebalance rebalance;
    private final ConsumerGroupManager consumers;

    GroupMigration(ConsumerGroupConfig config, int classicMaxSize, Clock clock, Map<String, Group> groups,
            ClassicRebalance rebalance, ConsumerGroupManager consumers) {
        this.policy = config.migrationPolicy();
        this.consumerMaxSize = config.maxSize();
        this.classicMaxSize = classicMaxSize;
        this.clock = clock;
        this.groups = groups;
        this.rebalance = rebalance;
        this.consumers = consumers;
    }

    // ---------------------------------------------------------------- upgrade

    /**
     * The consumer group that replaces a classic group a consumer-protocol member joins.
     *
     * @throws CoordinatorException GROUP_ID_NOT_FOUND when the classic group may not become one (as Kafka);
     *                              COORDINATOR_LOAD_IN_PROGRESS while it rebalances (the member retries);
     *                              COORDINATOR_NOT_AVAILABLE when it is being deleted or converted
     */
    ConsumerGroup toConsumerGroup(ClassicGroup classic) {
        synchronized (classic) {
            if (classic.isGone()) {
                throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + classic.groupId
                        + " is being deleted or converted.");
            }
            if (classic.isEmptyState()) {
                return fromEmpty(classic);
            }
            refuseUpgradeUnlessValid(classic);
            ConsumerGroup consumer;
            try {
                consumer = consumerGroupOf(classic);
            } catch (RuntimeException e) {
                log.warn("Group {}: cannot move to the consumer protocol, a member's ConsumerProtocol metadata is malformed: {}",
                        classic.groupId, e.toString());
                throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Cannot upgrade the classic group "
                        + classic.groupId + " to a consumer group because the embedded consumer protocol is malformed.");
            }
            // As Kafka: members waiting in a join or sync phase are told to rejoin, which they do into the consumer group.
            classic.end(Errors.REBALANCE_IN_PROGRESS, clock.millis());
            synchronized (consumer) {
                consumer.subscriptionMetadata = consumers.subscriptionMetadata(consumer);
                groups.put(classic.groupId, consumer);
                consumers.timers.activate(consumer);
                consumers.write(consumer, null).whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        log.warn("Group {}: storing its upgrade failed: {}", consumer.groupId, CoordinatorException.errorOf(failure));
                    }
                });
            }
            log.info("Group {}: a live classic group of {} members becomes a consumer group at epoch {} (online upgrade)",
                    classic.groupId, consumer.members.size(), consumer.groupEpoch);
            return consumer;
        }
    }

    private void refuseUpgradeUnlessValid(ClassicGroup classic) {
        String why = null;
        if (!policy.upgradeEnabled()) {
            why = "the online upgrade is disabled (consumer-migration-policy " + policy.name().toLowerCase() + ")";
        } else if (!ConsumerProtocol.PROTOCOL_TYPE.equals(classic.protocolType)) {
            why = "the group does not use the consumer embedded protocol";
        } else if (classic.members.size() >= consumerMaxSize) {
            // The member asking to upgrade it joins too.
            why = "its " + classic.members.size() + " members and the one joining exceed group.consumer.max.size ("
                    + consumerMaxSize + ")";
        }
        if (why != null) {
            log.info("Group {}: cannot move to the consumer protocol: {}", classic.groupId, why);
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Cannot upgrade the classic group " + classic.groupId
                    + " to a consumer group: " + why + ".");
        }
        if (classic.state != GroupState.STABLE) {
            // Mid-rebalance, the stored assignments are not what members own: wait for the generation to settle.
            throw new CoordinatorException(Errors.COORDINATOR_LOAD_IN_PROGRESS, "Group " + classic.groupId
                    + " is rebalancing; it moves to the consumer protocol once stable.");
        }
    }

    /** Holds the classic group's lock. Its members as members of a consumer group that speak the classic protocol. */
    private ConsumerGroup consumerGroupOf(ClassicGroup classic) {
        ConsumerGroup consumer = new ConsumerGroup(classic.groupId, clock.millis());
        consumer.offsets.putAll(classic.offsets);
        consumer.offsetPositions.putAll(classic.offsetPositions);
        consumer.groupEpoch = classic.generationId;
        consumer.assignmentEpoch = classic.generationId;
        for (GroupMember member : classic.members.values()) {
            ConsumerPartitionAssignor.Subscription subscription = ConsumerProtocol.deserializeSubscription(
                    ByteBuffer.wrap(member.metadata(classic.protocolName)));
            Set<TopicPartition> owned = decodeAssignment(member.assignment);
            ConsumerGroupMember converted = new ConsumerGroupMember(member.memberId);
            converted.instanceId = member.groupInstanceId;
            converted.clientId = member.clientId;
            converted.clientHost = member.clientHost;
            converted.rackId = subscription.rackId().orElse(null);
            converted.rebalanceTimeoutMs = member.rebalanceTimeoutMs;
            converted.subscribedTopicNames = List.copyOf(subscription.topics());
            converted.memberEpoch = classic.generationId;
            converted.previousMemberEpoch = classic.generationId;
            converted.assigned = owned;
            converted.classic = new ConsumerGroupMember.ClassicMemberMetadata(member.sessionTimeoutMs, member.protocols);
            consumer.add(converted);
            consumer.targetAssignment.put(member.memberId, owned);
        }
        return consumer;
    }

    // ---------------------------------------------------------------- downgrade

    /**
     * Holds the consumer group's lock. When {@code leaving} is the group's last consumer-protocol member and
     * the policy allows, the group becomes a classic group without it, and rebalances; returns the write of
     * the classic group, or null when the group stays as it is (the caller removes the member then).
     */
    CompletableFuture<Void> downgradeWithout(ConsumerGroup consumer, ConsumerGroupMember leaving) {
        if (leaving.usesClassicProtocol() || !policy.downgradeEnabled() || consumer.isGone()) {
            return null;
        }
        List<ConsumerGroupMember> remaining = new ArrayList<>();
        // Members that speak the classic protocol only: a classic group can take them over.
        for (ConsumerGroupMember member : consumer.members.values()) {
            if (member != leaving) {
                if (!member.usesClassicProtocol()) {
                    return null;
                }
                remaining.add(member);
            }
        }
        if (remaining.isEmpty()) {
            return null;
        }
        if (remaining.size() > classicMaxSize) {
            log.info("Group {}: its {} classic members exceed group.max.size ({}); it stays a consumer group",
                    consumer.groupId, remaining.size(), classicMaxSize);
            return null;
        }
        ClassicGroup classic = new ClassicGroup(consumer.groupId, clock.millis());
        classic.offsets.putAll(consumer.offsets);
        classic.offsetPositions.putAll(consumer.offsetPositions);
        classic.protocolType = ConsumerProtocol.PROTOCOL_TYPE;
        classic.generationId = consumer.groupEpoch;
        for (ConsumerGroupMember member : remaining) {
            GroupMember converted = new GroupMember(member.memberId, member.instanceId, member.clientId, member.clientHost,
                    member.classic.sessionTimeoutMs(), member.rebalanceTimeoutMs, member.classic.protocols());
            converted.assignment = Utils.toArray(ConsumerProtocol.serializeAssignment(
                    new ConsumerPartitionAssignor.Assignment(new ArrayList<>(member.assigned))));
            classic.add(converted);
        }
        if (!classic.sharesAProtocol()) {
            log.info("Group {}: its classic members share no protocol; it stays a consumer group", consumer.groupId);
            return null;
        }
        classic.protocolName = classic.selectProtocol();
        consumer.members.values().forEach(ConsumerGroupMember::cancelTimers);
        consumer.markDead(clock.millis());
        synchronized (classic) {
            classic.restore(clock.millis());
            groups.put(classic.groupId, classic);
            classic.members.values().forEach(member -> rebalance.scheduleSessionExpiry(classic, member));
            CompletableFuture<Void> stored = rebalance.persistGroupMetadata(classic, true);
            log.info("Group {}: its last consumer-protocol member {} left; the {} classic members make it a classic group "
                    + "again at generation {} (online downgrade)", classic.groupId, leaving.memberId, remaining.size(),
                    classic.generationId);
            rebalance.prepareRebalance(classic, "it moved back from the consumer protocol");
            return stored;
        }
    }

    /**
     * A classic member's JoinGroup with the instance id of a static member that speaks the consumer protocol,
     * the group's last such member (Kafka's {@code validateOnlineDowngradeWithReplacedMemberId}): the replaced
     * member goes, the group becomes a classic group of the others, and the newcomer joins its rebalance.
     *
     * @return the classic group to join, or null when the consumer group stays (the newcomer then replaces
     *         the static member inside it)
     */
    ClassicGroup downgradeReplacingStaticMember(ConsumerGroup consumer, String instanceId) {
        synchronized (consumer) {
            ConsumerGroupMember replaced = consumer.staticMember(instanceId).orElse(null);
            if (replaced == null || downgradeWithout(consumer, replaced) == null) {
                return null;
            }
            log.info("Group {}: static member {} came back speaking the classic protocol", consumer.groupId, instanceId);
            return groups.get(consumer.groupId) instanceof ClassicGroup classic ? classic : null;
        }
    }

    // ---------------------------------------------------------------- groups without members

    /** Holds the classic group's lock. An empty classic group (committed offsets only) becomes a consumer group. */
    private ConsumerGroup fromEmpty(ClassicGroup classic) {
        ConsumerGroup consumer = new ConsumerGroup(classic.groupId, clock.millis());
        consumer.offsets.putAll(classic.offsets);
        consumer.offsetPositions.putAll(classic.offsetPositions);
        classic.markDead(clock.millis());
        groups.put(classic.groupId, consumer);
        log.info("Group {}: an empty classic group becomes a consumer group, with its {} committed offsets", classic.groupId,
                consumer.offsets.size());
        return consumer;
    }

    /**
     * A classic group in place of a consumer group without members, with its committed offsets (a
     * service moved back to the classic protocol); null while the consumer group has members.
     */
    ClassicGroup classicFromEmpty(ConsumerGroup consumer) {
        synchronized (consumer) {
            if (!consumer.isEmptyState() || consumer.isGone()) {
                return null;
            }
            ClassicGroup classic = new ClassicGroup(consumer.groupId, clock.millis());
            classic.offsets.putAll(consumer.offsets);
            classic.offsetPositions.putAll(consumer.offsetPositions);
            consumer.markDead(clock.millis());
            groups.put(consumer.groupId, classic);
            log.info("Group {}: an empty consumer group becomes a classic group, with its {} committed offsets",
                    consumer.groupId, classic.offsets.size());
            return classic;
        }
    }

    /** A member's last assignment, in the ConsumerProtocol encoding; none when it had none. */
    static Set<TopicPartition> decodeAssignment(byte[] assignment) {
        if (assignment == null || assignment.length == 0) {
            return Set.of();
        }
        return Set.copyOf(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions());
    }
}
