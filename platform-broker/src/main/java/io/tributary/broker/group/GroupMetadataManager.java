package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import io.tributary.broker.group.assignor.PartitionRacks;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of one partition of {@code __consumer_offsets} (Kafka's {@code GroupMetadataManager}): every
 * group, classic, consumer or share, in one id space; their records, replay, loading and deletion; and the
 * classic protocol's requests (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), routed by what the id names:
 * a classic group's to the {@link ClassicGroupManager} (carried out by the group's {@link ClassicRebalance}),
 * a consumer group's to its classic members ({@link ConsumerGroupClassicMembers}).
 *
 * <p>The rebalance protocol's state (join phase, waiting requests, sessions, timers) lives in memory
 * only and changes under the group's monitor, as in Kafka. What is durable is the group's metadata,
 * written after each generation's assignment; the in-memory group already holds it, so it is written
 * without replay ({@link CoordinatorResult#replayRecords()} false) and replayed only when the
 * partition is loaded. A group tombstone (deletion, expiry) takes effect by replay, once held.
 */
final class GroupMetadataManager {

    private static final Logger log = LoggerFactory.getLogger(GroupMetadataManager.class);

    private final GroupCoordinatorConfig config;
    private final Clock clock;
    private final CoordinatorWriter writer;
    private final ClassicRebalance rebalance;
    /** Every group of the shard, classic or consumer: one group id names one group. */
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    /**
     * Where each deleted group's tombstone was written, and when it was replayed: a commit written
     * before it but replayed after it (writes complete concurrently) must not bring the group back.
     * Such a commit is replayed within its write timeout, or never; older entries are pruned.
     */
    private final Map<String, Tombstone> tombstones = new ConcurrentHashMap<>();

    private record Tombstone(long position, long replayedAt) {
    }

    /** The KIP-848 consumer groups' protocol, on the same groups. */
    final ConsumerGroupManager consumers;
    /** The classic protocol's requests on classic groups. */
    private final ClassicGroupManager classic;
    /** Classic-protocol members of consumer groups: a group in the middle of a migration. */
    private final ConsumerGroupClassicMembers classicMembers;
    /** Groups changing protocol. */
    final GroupMigration migration;
    /** The KIP-932 share groups, in the same id space. */
    final ShareGroupManager shares;

    /**
     * @param topics the cluster's topics, which consumer and share groups subscribe to
     * @param racks  where partitions' replicas are, read anew for each assignment
     */
    GroupMetadataManager(GroupCoordinatorConfig config, ScheduledExecutorService scheduler, Clock clock,
            CoordinatorWriter writer, Supplier<Collection<TopicInfo>> topics, Supplier<PartitionRacks> racks) {
        this.config = config;
        this.clock = clock;
        this.writer = writer;
        this.rebalance = new ClassicRebalance(config, scheduler, clock, writer);
        this.classic = new ClassicGroupManager(rebalance, config.classicMaxSize());
        this.consumers = new ConsumerGroupManager(config.consumerGroups(), scheduler, clock, writer, this, topics, racks);
        this.classicMembers = new ConsumerGroupClassicMembers(consumers, scheduler);
        this.migration = new GroupMigration(config.consumerGroups(), config.classicMaxSize(), clock, groups, rebalance, consumers);
        this.shares = new ShareGroupManager(config.shareGroups(), scheduler, clock, writer, this, topics);
    }

    // ---------------------------------------------------------------- the groups, replay, loading

    /** The group of this id, whatever its type. */
    Group group(String groupId) {
        return groups.get(groupId);
    }

    /** The classic group of this id; null when there is none or the id names a consumer group. */
    ClassicGroup get(String groupId) {
        return groups.get(groupId) instanceof ClassicGroup classic ? classic : null;
    }

    /** The group of this id, a new classic one when there is none (as a first JoinGroup or a simple commit makes). */
    Group getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, clock.millis()));
    }

    /**
     * The consumer group of this id. A joining member ({@code create}) makes one where there is none, and
     * turns a classic group into one, keeping its offsets: an empty one, or a live one it migrates
     * ({@link GroupMigration#toConsumerGroup}).
     *
     * @throws CoordinatorException UNKNOWN_MEMBER_ID when there is no group and none is made;
     *                              GROUP_ID_NOT_FOUND when the id names a classic group that cannot migrate
     */
    ConsumerGroup consumerGroup(String groupId, boolean create) {
        Group group = create ? groups.computeIfAbsent(groupId, id -> new ConsumerGroup(id, clock.millis()))
                : groups.get(groupId);
        if (group instanceof ConsumerGroup consumer) {
            return consumer;
        }
        if (group == null) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Consumer group " + groupId + " not found.");
        }
        if (!create || group instanceof ShareGroup) {
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a consumer group.");
        }
        return migration.toConsumerGroup((ClassicGroup) group);
    }

    /**
     * The share group of this id; a joining member ({@code create}) makes one where there is none. Share groups
     * do not migrate: an id of another type is GROUP_ID_NOT_FOUND, as Kafka answers.
     *
     * @throws CoordinatorException UNKNOWN_MEMBER_ID when there is no group and none is made; GROUP_ID_NOT_FOUND
     *                              when the id names a classic or consumer group
     */
    ShareGroup shareGroup(String groupId, boolean create) {
        Group group = create ? groups.computeIfAbsent(groupId, id -> new ShareGroup(id, clock.millis())) : groups.get(groupId);
        if (group instanceof ShareGroup share) {
            return share;
        }
        if (group == null) {
            throw new CoordinatorException(Errors.UNKNOWN_MEMBER_ID, "Share group " + groupId + " not found.");
        }
        throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group.");
    }

    java.util.Collection<Group> all() {
        return groups.values();
    }

    int size() {
        return groups.size();
    }

    /** Whether a record of the group written at {@code position} comes before the group's deletion. */
    boolean deletedAfter(String groupId, long position) {
        Tombstone deleted = tombstones.get(groupId);
        return deleted != null && deleted.position() > position;
    }

    /** Forgets the tombstones that no write still in flight can come before; returns how many are left. */
    int pruneTombstones() {
        long before = clock.millis() - 2 * Math.max(config.offsetCommitTimeoutMs(), 30_000);
        tombstones.values().removeIf(tombstone -> tombstone.replayedAt() < before);
        return tombstones.size();
    }

    /** Applies a group metadata record, written at {@code position}; a null value is a tombstone. */
    void replay(String groupId, ByteBuffer value, long position) {
        if (value == null) {
            tombstones.merge(groupId, new Tombstone(position, clock.millis()),
                    (earlier, later) -> earlier.position() > later.position() ? earlier : later);
            Group removed = groups.remove(groupId);
            if (removed != null) {
                synchronized (removed) {
                    removed.markDead(clock.millis());
                }
            }
            return;
        }
        if (CoordinatorRecords.isShareGroup(value)) {
            ShareGroup share = groups.get(groupId) instanceof ShareGroup found ? found : new ShareGroup(groupId, clock.millis());
            synchronized (share) {
                CoordinatorRecords.readShareGroup(value, share);
            }
            groups.put(groupId, share);
            return;
        }
        if (CoordinatorRecords.isConsumerGroup(value)) {
            Group existing = groups.get(groupId);
            ConsumerGroup consumer = existing instanceof ConsumerGroup found ? found : new ConsumerGroup(groupId, clock.millis());
            if (existing instanceof ClassicGroup classic) {
                consumer.offsets.putAll(classic.offsets);
                consumer.offsetPositions.putAll(classic.offsetPositions);
            }
            synchronized (consumer) {
                CoordinatorRecords.readConsumerGroup(value, consumer);
            }
            groups.put(groupId, consumer);
            return;
        }
        CoordinatorRecords.StoredGroup stored = CoordinatorRecords.readGroup(value);
        Group existing = groups.get(groupId);
        ClassicGroup group = existing instanceof ClassicGroup found ? found : new ClassicGroup(groupId, clock.millis());
        if (existing instanceof ConsumerGroup consumer) {
            group.offsets.putAll(consumer.offsets);
            group.offsetPositions.putAll(consumer.offsetPositions);
        }
        groups.put(groupId, group);
        synchronized (group) {
            group.members.clear();
            group.staticMembers.clear();
            group.generationId = stored.generationId();
            group.protocolType = stored.protocolType();
            group.protocolName = stored.protocolName();
            group.leaderId = stored.leaderId();
            group.stateTimestamp = stored.stateTimestamp();
            for (CoordinatorRecords.StoredMember stored2 : stored.members()) {
                GroupMember member = new GroupMember(stored2.memberId(), stored2.groupInstanceId(), stored2.clientId(),
                        stored2.clientHost(), stored2.sessionTimeoutMs(), stored2.rebalanceTimeoutMs(),
                        List.of(new GroupMember.Protocol(stored.protocolName(), stored2.subscription())));
                member.assignment = stored2.assignment();
                group.add(member);
            }
            group.leaderId = stored.leaderId();
            group.rebalanceOnLoad = stored.rebalancePending();
        }
    }

    /** Brings the replayed groups to life: each is empty or stable, and its members must show up again. */
    void activate() {
        for (Group any : groups.values()) {
            if (any instanceof ConsumerGroup consumer) {
                synchronized (consumer) {
                    consumers.timers.activate(consumer);
                }
                continue;
            }
            if (any instanceof ShareGroup share) {
                synchronized (share) {
                    shares.activate(share);
                }
                continue;
            }
            ClassicGroup group = (ClassicGroup) any;
            synchronized (group) {
                group.restore(group.stateTimestamp);
                // A new coordinator gives each member a fresh session.
                group.members.values().forEach(member -> rebalance.scheduleSessionExpiry(group, member));
                if (group.rebalanceOnLoad && !group.isEmpty()) {
                    rebalance.prepareRebalance(group, "it was stored before the rebalance of its move back from the consumer protocol");
                }
            }
        }
    }

    /** Drops every group: this broker no longer coordinates them, and their members look for the new coordinator. */
    void unloadAll() {
        for (Group any : groups.values()) {
            if (any instanceof ConsumerGroup consumer) {
                synchronized (consumer) {
                    consumer.members.values().forEach(ConsumerGroupMember::cancelTimers);
                    consumer.markDead(clock.millis());
                }
                continue;
            }
            if (any instanceof ShareGroup share) {
                synchronized (share) {
                    share.members.values().forEach(ShareGroupMember::cancelTimers);
                    share.markDead(clock.millis());
                }
                continue;
            }
            ClassicGroup group = (ClassicGroup) any;
            synchronized (group) {
                group.end(Errors.NOT_COORDINATOR, clock.millis());
                group.members.clear();
            }
        }
        groups.clear();
    }

    /**
     * Holds the group's lock. Writes the group's tombstone after {@code offsetTombstones}: until its
     * replay removes the group, no one joins or commits to it; if the write fails, the group stays.
     */
    CompletableFuture<Void> writeDeletion(Group group, List<SimpleRecord> offsetTombstones) {
        List<SimpleRecord> records = new ArrayList<>(offsetTombstones);
        records.add(new SimpleRecord(clock.millis(), CoordinatorRecords.groupKey(group.groupId), null));
        group.deletionPending = true;
        return writer.write(CoordinatorResult.of(records, (Void) null)).whenComplete((ignored, failure) -> {
            if (failure != null) {
                synchronized (group) {
                    group.deletionPending = false;
                }
            }
        });
    }

    /**
     * Holds the group's lock. Kafka's checks of an OffsetCommit: a simple consumer (generation -1, no
     * member id) commits only to a group without members; a member only in the current generation and
     * not while the leader assigns. A member's commit counts as a heartbeat.
     */
    Errors validateOffsetCommit(Group any, int generationId, String memberId, String groupInstanceId) {
        if (any instanceof ShareGroup) {
            return Errors.GROUP_ID_NOT_FOUND; // as Kafka: a share group commits no offsets
        }
        if (any instanceof ConsumerGroup consumer) {
            return ConsumerGroupManager.validateOffsetCommit(consumer, generationId, memberId);
        }
        ClassicGroup group = (ClassicGroup) any;
        if (generationId < 0 && (memberId == null || memberId.isEmpty())) {
            if (group.isGone()) {
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            return group.isEmpty() ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
        }
        Errors error = ClassicGroupManager.validateMember(group, memberId, groupInstanceId, generationId);
        if (error == Errors.NONE && group.state == GroupState.COMPLETING_REBALANCE) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        if (error == Errors.NONE && group.members.get(memberId).pendingJoin == null) {
            rebalance.scheduleSessionExpiry(group, group.members.get(memberId));
        }
        return error;
    }

    /**
     * Holds the group's lock. Kafka's checks of a TxnOffsetCommit: as an OffsetCommit's, except that a
     * commit without member data (TxnOffsetCommit before v3) is always taken, a classic group's
     * member may commit while the group completes a rebalance, and a consumer group's member with an
     * old epoch is answered ILLEGAL_GENERATION, which transactional producers understand.
     */
    Errors validateTransactionalOffsetCommit(Group any, int generationId, String memberId, String groupInstanceId) {
        if (any.isGone()) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        boolean withoutMember = generationId < 0 && (memberId == null || memberId.isEmpty()) && groupInstanceId == null;
        if (any instanceof ShareGroup) {
            return Errors.GROUP_ID_NOT_FOUND; // as Kafka: a share group commits no offsets
        }
        if (withoutMember) {
            return Errors.NONE;
        }
        if (any instanceof ConsumerGroup consumer) {
            Errors error = ConsumerGroupManager.validateOffsetCommit(consumer, generationId, memberId);
            return error == Errors.STALE_MEMBER_EPOCH ? Errors.ILLEGAL_GENERATION : error;
        }
        return ClassicGroupManager.validateMember((ClassicGroup) any, memberId, groupInstanceId, generationId);
    }

    // ---------------------------------------------------------------- JoinGroup

    /**
     * Handles a JoinGroup: the response completes when the join phase of the rebalance completes
     * (or at once for errors and for the MEMBER_ID_REQUIRED round trip).
     */
    CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData request, String clientId,
            String clientHost, short version) {
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return ClassicRebalance.joinError(Errors.INVALID_SESSION_TIMEOUT, request.memberId());
        }
        List<GroupMember.Protocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new GroupMember.Protocol(p.name(), p.metadata())));
        long metadataBytes = protocols.stream().mapToLong(p -> p.metadata() == null ? 0 : p.metadata().length).sum();
        if (metadataBytes > GroupCoordinator.MAX_MEMBER_METADATA_BYTES) {
            log.warn("Group {}: refusing a member whose protocol metadata takes {} bytes (at most {})", request.groupId(),
                    metadataBytes, GroupCoordinator.MAX_MEMBER_METADATA_BYTES);
            return ClassicRebalance.joinError(Errors.INVALID_REQUEST, request.memberId());
        }
        int rebalanceTimeout = version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        String memberId = request.memberId() == null ? "" : request.memberId();
        Group existing = memberId.isEmpty() ? getOrCreate(request.groupId()) : groups.get(request.groupId());
        if (existing instanceof ShareGroup) {
            // As Kafka: the id is taken by a group of a protocol that cannot take classic members.
            return ClassicRebalance.joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, "");
        }
        if (existing instanceof ConsumerGroup consumer) {
            ClassicGroup classic = migration.classicFromEmpty(consumer);
            if (classic == null && memberId.isEmpty() && request.groupInstanceId() != null) {
                classic = migration.downgradeReplacingStaticMember(consumer, request.groupInstanceId());
            }
            if (classic == null) {
                // A classic member joining a live consumer group: it becomes a member that speaks the classic protocol.
                return classicMembers.join(consumer, request, protocols, rebalanceTimeout, clientId, clientHost, version);
            }
            existing = classic;
        }
        ClassicGroup group = (ClassicGroup) existing;
        if (group == null) {
            return ClassicRebalance.joinError(Errors.UNKNOWN_MEMBER_ID, memberId);
        }
        return classic.join(group, request, protocols, rebalanceTimeout, clientId, clientHost, version);
    }

    // ---------------------------------------------------------------- SyncGroup

    CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request) {
        if (groups.get(request.groupId()) instanceof ConsumerGroup consumer) {
            return classicMembers.sync(consumer, request);
        }
        ClassicGroup group = get(request.groupId());
        if (group == null) {
            return ClassicRebalance.syncError(Errors.UNKNOWN_MEMBER_ID);
        }
        return classic.sync(group, request);
    }



    // ---------------------------------------------------------------- Heartbeat, LeaveGroup, session expiry

    Errors heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        if (groups.get(groupId) instanceof ConsumerGroup consumer) {
            return classicMembers.heartbeat(consumer, memberId, groupInstanceId, generationId);
        }
        ClassicGroup group = get(groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return classic.heartbeat(group, memberId, groupInstanceId, generationId);
    }

    /** Removes members that leave; returns an error per member, in order. */
    List<Errors> leaveGroup(String groupId, List<GroupCoordinator.LeavingMember> leaving) {
        if (groups.get(groupId) instanceof ConsumerGroup consumer) {
            return classicMembers.leave(consumer, leaving);
        }
        ClassicGroup group = get(groupId);
        if (group == null) {
            List<Errors> results = new ArrayList<>();
            leaving.forEach(member -> results.add(Errors.UNKNOWN_MEMBER_ID));
            return results;
        }
        return classic.leave(group, leaving);
    }

    // ---------------------------------------------------------------- describing, listing

    Optional<GroupCoordinator.GroupSummary> describe(String groupId) {
        Group any = groups.get(groupId);
        if (any instanceof ConsumerGroup consumer) {
            synchronized (consumer) {
                return Optional.of(consumers.summary(consumer));
            }
        }
        if (any instanceof ShareGroup share) {
            synchronized (share) {
                return Optional.of(ShareGroupManager.summary(share));
            }
        }
        if (!(any instanceof ClassicGroup group)) {
            return Optional.empty();
        }
        synchronized (group) {
            List<GroupCoordinator.MemberSummary> members = new ArrayList<>();
            for (GroupMember member : group.members.values()) {
                members.add(new GroupCoordinator.MemberSummary(member.memberId, member.groupInstanceId, member.clientId, member.clientHost,
                        group.protocolName == null ? new byte[0] : member.metadata(group.protocolName),
                        group.state == GroupState.STABLE ? member.assignment : new byte[0]));
            }
            return Optional.of(new GroupCoordinator.GroupSummary(group.groupId, group.type(), group.stateName(),
                    group.protocolType == null ? "" : group.protocolType,
                    group.state == GroupState.STABLE && group.protocolName != null ? group.protocolName : "", members));
        }
    }

    List<GroupCoordinator.GroupSummary> listGroups() {
        List<GroupCoordinator.GroupSummary> summaries = new ArrayList<>();
        for (String groupId : groups.keySet()) {
            describe(groupId).filter(summary -> !summary.isDead()).ifPresent(summaries::add);
        }
        return summaries;
    }

}
