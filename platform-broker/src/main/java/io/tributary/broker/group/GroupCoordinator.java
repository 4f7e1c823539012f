package io.tributary.broker.group;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.log.LogSlice;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's classic group coordinator: members join, the leader assigns, members heartbeat, and the
 * offsets they commit are kept. Group metadata and offsets are records of the compacted
 * {@code __consumer_offsets} topic (the partition is chosen by the group id's hash, as Kafka
 * does), replayed at start-up.
 *
 * <p>In a cluster the coordinator of a group is the leader of its offsets partition: when this
 * broker becomes leader of one it replays that partition into memory (answering
 * COORDINATOR_LOAD_IN_PROGRESS meanwhile), and when it stops leading it drops those groups
 * (NOT_COORDINATOR, so clients look for the new coordinator). Records are written as acks=all
 * produces: a commit is answered, and becomes visible, once the in-sync replicas hold it, so that
 * the next coordinator knows every offset this one ever showed.
 *
 * <p>Thread-safe: each group is guarded by its own monitor; timers run on the shared scheduler;
 * loading and unloading run one at a time on the loader thread.
 */
public final class GroupCoordinator {

    public static final String OFFSETS_TOPIC = "__consumer_offsets";
    /**
     * The most protocol metadata (subscriptions) one member may bring: a group's metadata is one
     * record of {@code __consumer_offsets}, which must stay well within a batch's size limit.
     */
    static final int MAX_MEMBER_METADATA_BYTES = 256 * 1024;
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupCoordinatorConfig config;
    private final TopicManager topics;
    private final PartitionManager partitions;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private volatile int offsetsPartitions;
    /** Whether the offsets topic is replicated over a cluster, so that leaderships come and go. */
    private volatile boolean replicated;
    /** The leader epoch in which each offsets partition this broker leads was loaded. */
    private final Map<Integer, Integer> loadedEpochs = new ConcurrentHashMap<>();
    private ExecutorService loader;

    public GroupCoordinator(GroupCoordinatorConfig config, TopicManager topics, PartitionManager partitions,
            ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.topics = topics;
        this.partitions = partitions;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- start-up: the offsets topic and replay

    /**
     * Rebuilds every group from {@code __consumer_offsets}. The topic itself is created, as Kafka
     * does, when groups are first used (see {@link #ensureOffsetsTopic()}).
     */
    public void startup() {
        Optional<TopicInfo> topic = topics.store().topic(OFFSETS_TOPIC);
        offsetsPartitions = topic.map(TopicInfo::partitionCount).orElse(config.offsetsTopicPartitions());
        replicated = topics.store().isReplicated();
        if (replicated) {
            startFollowingLeaderships();
        } else {
            loadAll(topic.isPresent());
        }
        scheduler.scheduleWithFixedDelay(this::expireOffsets, config.offsetsRetentionCheckIntervalMs(),
                config.offsetsRetentionCheckIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Stops loading groups. */
    public void close() {
        if (loader != null) {
            loader.shutdownNow();
        }
    }

    private void startFollowingLeaderships() {
        loader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-group-loader");
            thread.setDaemon(true);
            return thread;
        });
        partitions.onLeadershipChange(tp -> {
            if (tp.topic().equals(OFFSETS_TOPIC)) {
                loader.execute(() -> followLeadership(tp.partition()));
            }
        });
        // The partitions opened before this coordinator existed told nobody.
        for (int index = 0; index < offsetsPartitions; index++) {
            int partition = index;
            loader.execute(() -> followLeadership(partition));
        }
    }

    /** On the loader thread: loads or drops the groups of an offsets partition as its leadership now is. */
    private void followLeadership(int index) {
        try {
            topics.store().topic(OFFSETS_TOPIC).ifPresent(topic -> offsetsPartitions = topic.partitionCount());
            Optional<Partition> partition = partitions.partition(new TopicPartition(OFFSETS_TOPIC, index));
            if (partition.isPresent() && partition.get().isLeader()) {
                int epoch = partition.get().leaderEpoch();
                if (!Integer.valueOf(epoch).equals(loadedEpochs.get(index))) {
                    load(index, partition.get(), epoch);
                }
            } else if (loadedEpochs.containsKey(index) || groups.keySet().stream().anyMatch(g -> partitionFor(g) == index)) {
                unload(index);
            }
        } catch (RuntimeException e) {
            log.warn("{}-{}: loading or unloading its groups failed: {}", OFFSETS_TOPIC, index, e.toString());
        }
    }

    private void load(int index, Partition partition, int epoch) {
        unload(index); // whatever is left from an earlier leadership may be stale
        long started = System.nanoTime();
        int records = replayPartition(partition.log());
        int loaded = activate(group -> partitionFor(group.groupId) == index);
        if (partition.isLeader() && partition.leaderEpoch() == epoch) {
            loadedEpochs.put(index, epoch);
            log.info("Coordinating the {} groups of {}-{} in leader epoch {}: loaded from {} records in {} ms", loaded,
                    OFFSETS_TOPIC, index, epoch, records, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } else {
            unload(index); // the leadership moved on while loading; its own task follows
        }
    }

    /** Drops the groups of an offsets partition this broker no longer leads; their members look for the new coordinator. */
    private void unload(int index) {
        boolean wasLoaded = loadedEpochs.remove(index) != null;
        int count = 0;
        for (ClassicGroup group : groups.values()) {
            if (partitionFor(group.groupId) != index) {
                continue;
            }
            synchronized (group) {
                if (group.joinTimer != null) {
                    group.joinTimer.cancel(false);
                }
                for (GroupMember member : group.members.values()) {
                    member.cancelSessionExpiry();
                    if (member.pendingJoin != null) {
                        member.pendingJoin.complete(errorJoinResponse(Errors.NOT_COORDINATOR, member.memberId));
                    }
                    if (member.pendingSync != null) {
                        member.pendingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.NOT_COORDINATOR.code()));
                    }
                }
                group.members.clear();
                group.transitionTo(GroupState.DEAD, clock.millis());
            }
            groups.remove(group.groupId, group);
            count++;
        }
        if (wasLoaded || count > 0) {
            log.info("No longer coordinating the {} groups of {}-{}", count, OFFSETS_TOPIC, index);
        }
    }

    /** Whether this broker coordinates the group now: NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. */
    public Errors coordinatorError(String groupId) {
        if (!replicated) {
            return Errors.NONE;
        }
        int index = partitionFor(groupId);
        Partition partition = partitions.partition(new TopicPartition(OFFSETS_TOPIC, index)).orElse(null);
        if (partition == null || !partition.isLeader()) {
            return Errors.NOT_COORDINATOR;
        }
        Integer loaded = loadedEpochs.get(index);
        return loaded != null && loaded == partition.leaderEpoch() ? Errors.NONE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    private void loadAll(boolean topicExists) {
        long started = System.nanoTime();
        int records = 0;
        for (int index = 0; topicExists && index < offsetsPartitions; index++) {
            records += partitions.partition(new TopicPartition(OFFSETS_TOPIC, index)).map(p -> replayPartition(p.log())).orElse(0);
        }
        activate(group -> true);
        log.info("Loaded {} consumer groups from {} records of {} in {} ms", groups.size(), records, OFFSETS_TOPIC,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Brings replayed groups to life; returns how many. */
    private int activate(java.util.function.Predicate<ClassicGroup> which) {
        int count = 0;
        for (ClassicGroup group : groups.values()) {
            if (!which.test(group)) {
                continue;
            }
            synchronized (group) {
                group.restore(group.stateTimestamp);
                // Members must show up again: a new coordinator gives each a fresh session.
                group.members.values().forEach(member -> scheduleSessionExpiry(group, member));
            }
            count++;
        }
        return count;
    }

    /** Creates the compacted {@code __consumer_offsets} topic if it does not exist yet. */
    public void ensureOffsetsTopic() {
        if (topics.store().topic(OFFSETS_TOPIC).isPresent()) {
            return;
        }
        synchronized (this) {
            if (topics.store().topic(OFFSETS_TOPIC).isEmpty()) {
                // As Kafka's offsets.topic.replication.factor, but a cluster that is still coming up
                // gets what its live brokers can hold rather than no coordinator at all.
                int replicationFactor = topics.store().isReplicated()
                        ? Math.max(1, Math.min(config.offsetsTopicReplicationFactor(), topics.store().liveBrokers().size()))
                        : 1;
                try {
                    topics.createTopic(OFFSETS_TOPIC, offsetsPartitions, replicationFactor, Map.of("cleanup.policy", "compact",
                            "segment.bytes", Integer.toString(config.offsetsTopicSegmentBytes())), false);
                } catch (MetadataException e) {
                    if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
        }
    }

    private Partition offsetsPartition(String groupId) {
        ensureOffsetsTopic();
        return partitions.partition(new TopicPartition(OFFSETS_TOPIC, partitionFor(groupId)))
                .orElseThrow(() -> new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "offsets topic is missing"));
    }

    private int replayPartition(PartitionLog partitionLog) {
        int count = 0;
        long next = partitionLog.logStartOffset();
        while (next < partitionLog.logEndOffset()) {
            LogSlice slice = partitionLog.read(next, 1024 * 1024, Long.MAX_VALUE, true).slice();
            if (slice.isEmpty()) {
                break;
            }
            for (RecordBatch batch : slice.toMemoryRecords().batches()) {
                for (Record record : batch) {
                    if (record.offset() >= next && record.hasKey()) {
                        replay(record.key(), record.hasValue() ? record.value() : null, record.offset());
                        count++;
                    }
                }
                next = batch.nextOffset();
            }
        }
        return count;
    }

    /** Applies one record of {@code __consumer_offsets}, written at {@code position}, to the in-memory state. */
    private void replay(ByteBuffer key, ByteBuffer value, long position) {
        CoordinatorRecords.Key decoded = CoordinatorRecords.readKey(key);
        if (decoded.isOffset()) {
            ClassicGroup group = value == null ? groups.get(decoded.groupId()) : group(decoded.groupId());
            if (group != null) {
                synchronized (group) {
                    applyOffset(group, decoded.topicPartition(), value, position);
                }
            }
            return;
        }
        if (value == null) {
            ClassicGroup removed = groups.remove(decoded.groupId());
            if (removed != null) {
                synchronized (removed) {
                    removed.transitionTo(GroupState.DEAD, clock.millis());
                }
            }
            return;
        }
        CoordinatorRecords.StoredGroup stored = CoordinatorRecords.readGroup(value);
        ClassicGroup group = group(decoded.groupId());
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
        }
    }

    /** Holds the group's lock. A null value is a tombstone. */
    private static void applyOffset(ClassicGroup group, TopicPartition tp, ByteBuffer value, long position) {
        Long applied = group.offsetPositions.get(tp);
        if (applied != null && applied >= position) {
            return;
        }
        group.offsetPositions.put(tp, position);
        if (value == null) {
            group.offsets.remove(tp);
        } else {
            group.offsets.put(tp, CoordinatorRecords.readOffset(value));
        }
    }

    private ClassicGroup group(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, clock.millis()));
    }

    public int partitionFor(String groupId) {
        return Utils.abs(groupId.hashCode()) % offsetsPartitions;
    }

    /** Writes records to the group's partition of {@code __consumer_offsets}, then replays them. */
    private void write(String groupId, List<SimpleRecord> records) {
        Partition.ProduceOutcome outcome = append(groupId, records);
        for (int i = 0; i < records.size(); i++) {
            replay(records.get(i).key(), records.get(i).value(), outcome.baseOffset() + i);
        }
    }

    /** Appends records to the group's partition of {@code __consumer_offsets} as its leader. */
    private Partition.ProduceOutcome append(String groupId, List<SimpleRecord> records) {
        Partition partition = offsetsPartition(groupId);
        if (replicated && partition.inSyncReplicas().size() < minInsyncReplicas()) {
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Too few in-sync replicas of "
                    + partition.topicPartition() + " to store the change");
        }
        try {
            return partition.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, records.toArray(SimpleRecord[]::new)));
        } catch (NotLeaderOrFollowerException e) {
            throw new CoordinatorException(Errors.NOT_COORDINATOR, "This broker no longer leads " + partition.topicPartition());
        } catch (RuntimeException e) {
            log.warn("Group {}: writing to {} failed: {}", groupId, partition.topicPartition(), e.toString());
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator could not store the change");
        }
    }

    private int minInsyncReplicas() {
        return topics.store().topic(OFFSETS_TOPIC).map(topic -> topics.configs().minInsyncReplicas(topic.configs())).orElse(1);
    }

    /**
     * Completes once the in-sync replicas hold what was appended (acks=all), with the error to answer;
     * at once on a single node, where this broker is the only replica.
     */
    private CompletableFuture<Errors> replication(String groupId, Partition.ProduceOutcome outcome) {
        if (!replicated) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        return partitions.awaitReplication(offsetsPartition(groupId), outcome.lastOffset(), minInsyncReplicas(),
                config.offsetCommitTimeoutMs()).thenApply(GroupCoordinator::storeError);
    }

    /** As Kafka's coordinator maps the errors of its own appends to what a group member understands. */
    private static Errors storeError(Errors error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }

    /** Writes the group's metadata; the future completes once the in-sync replicas hold it. */
    private CompletableFuture<Errors> persistGroupMetadata(ClassicGroup group) {
        List<CoordinatorRecords.StoredMember> members = new ArrayList<>();
        for (GroupMember member : group.members.values()) {
            members.add(new CoordinatorRecords.StoredMember(member.memberId, member.groupInstanceId, member.clientId,
                    member.clientHost, member.sessionTimeoutMs, member.rebalanceTimeoutMs,
                    group.protocolName == null ? new byte[0] : member.metadata(group.protocolName), member.assignment));
        }
        CoordinatorRecords.StoredGroup stored = new CoordinatorRecords.StoredGroup(group.protocolType, group.generationId,
                group.protocolName, group.leaderId, group.stateTimestamp, members);
        Partition.ProduceOutcome outcome = append(group.groupId, List.of(new SimpleRecord(clock.millis(),
                CoordinatorRecords.groupKey(group.groupId), CoordinatorRecords.groupValue(stored))));
        return replication(group.groupId, outcome);
    }

    // ---------------------------------------------------------------- JoinGroup

    /**
     * Handles a JoinGroup: the response completes when the join phase of the rebalance completes
     * (or at once for errors and for the MEMBER_ID_REQUIRED round trip).
     */
    public CompletableFuture<JoinGroupResponseData> joinGroup(JoinGroupRequestData request, String clientId,
            String clientHost, short version) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return joinError(Errors.INVALID_GROUP_ID, request.memberId());
        }
        Errors notHere = coordinatorError(request.groupId());
        if (notHere != Errors.NONE) {
            return joinError(notHere, request.memberId());
        }
        if (request.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return joinError(Errors.INVALID_SESSION_TIMEOUT, request.memberId());
        }
        List<GroupMember.Protocol> protocols = new ArrayList<>();
        request.protocols().forEach(p -> protocols.add(new GroupMember.Protocol(p.name(), p.metadata())));
        long metadataBytes = protocols.stream().mapToLong(p -> p.metadata() == null ? 0 : p.metadata().length).sum();
        if (metadataBytes > MAX_MEMBER_METADATA_BYTES) {
            log.warn("Group {}: refusing a member whose protocol metadata takes {} bytes (at most {})", request.groupId(),
                    metadataBytes, MAX_MEMBER_METADATA_BYTES);
            return joinError(Errors.INVALID_REQUEST, request.memberId());
        }
        int rebalanceTimeout = version == 0 ? request.sessionTimeoutMs() : request.rebalanceTimeoutMs();
        boolean requireKnownMemberId = version >= 4;
        String memberId = request.memberId() == null ? "" : request.memberId();
        ClassicGroup group = memberId.isEmpty() ? group(request.groupId()) : groups.get(request.groupId());
        if (group == null) {
            return joinError(Errors.UNKNOWN_MEMBER_ID, memberId);
        }
        synchronized (group) {
            if (group.state == GroupState.DEAD) {
                return joinError(Errors.COORDINATOR_NOT_AVAILABLE, memberId);
            }
            if (!group.supports(request.protocolType(), protocols)) {
                return joinError(Errors.INCONSISTENT_GROUP_PROTOCOL, memberId);
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
                } else if (requireKnownMemberId) {
                    group.pendingMemberIds.add(newMemberId);
                    scheduler.schedule(() -> expirePendingMember(group, newMemberId), request.sessionTimeoutMs(),
                            TimeUnit.MILLISECONDS);
                    return joinError(Errors.MEMBER_ID_REQUIRED, newMemberId);
                }
                GroupMember member = new GroupMember(newMemberId, instanceId, clientId, clientHost,
                        request.sessionTimeoutMs(), rebalanceTimeout, protocols);
                return addMemberAndRebalance(group, member, request.protocolType());
            }
            if (group.pendingMemberIds.remove(memberId)) {
                GroupMember member = new GroupMember(memberId, instanceId, clientId, clientHost,
                        request.sessionTimeoutMs(), rebalanceTimeout, protocols);
                return addMemberAndRebalance(group, member, request.protocolType());
            }
            Optional<GroupMember> known = group.member(memberId);
            if (known.isEmpty()) {
                Optional<String> owner = group.staticMemberId(instanceId);
                return joinError(owner.isPresent() ? Errors.FENCED_INSTANCE_ID : Errors.UNKNOWN_MEMBER_ID, memberId);
            }
            GroupMember member = known.get();
            if (member.isStatic() && !member.groupInstanceId.equals(instanceId)) {
                return joinError(Errors.FENCED_INSTANCE_ID, memberId);
            }
            return rejoin(group, member, protocols, request.sessionTimeoutMs(), rebalanceTimeout);
        }
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
                CompletableFuture<JoinGroupResponseData> joined = awaitJoin(group, member);
                tryCompleteJoin(group);
                return joined;
            }
            case COMPLETING_REBALANCE, STABLE -> {
                if (sameProtocols && !member.memberId.equals(group.leaderId)) {
                    // Nothing changed: answer with the current generation, as Kafka does.
                    return CompletableFuture.completedFuture(joinResponse(group, member, Errors.NONE));
                }
                if (sameProtocols && group.state == GroupState.COMPLETING_REBALANCE) {
                    return CompletableFuture.completedFuture(joinResponse(group, member, Errors.NONE));
                }
                CompletableFuture<JoinGroupResponseData> joined = awaitJoin(group, member);
                prepareRebalance(group, "member " + member.memberId + " rejoined");
                return joined;
            }
            default -> {
                return joinError(Errors.UNKNOWN_MEMBER_ID, member.memberId);
            }
        }
    }

    private CompletableFuture<JoinGroupResponseData> addMemberAndRebalance(ClassicGroup group, GroupMember member,
            String protocolType) {
        if (group.isEmpty()) {
            group.protocolType = protocolType;
        }
        group.add(member);
        CompletableFuture<JoinGroupResponseData> joined = awaitJoin(group, member);
        if (group.state == GroupState.PREPARING_REBALANCE) {
            tryCompleteJoin(group);
        } else {
            prepareRebalance(group, "member " + member.memberId + " joined");
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
            old.pendingJoin.complete(errorJoinResponse(Errors.FENCED_INSTANCE_ID, oldMemberId));
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
            persistGroupMetadata(group);
            scheduleSessionExpiry(group, replacement);
            JoinGroupResponseData response = joinResponse(group, replacement, Errors.NONE);
            if (wasLeader) {
                response.setSkipAssignment(true);
            }
            return CompletableFuture.completedFuture(response);
        }
        CompletableFuture<JoinGroupResponseData> joined = awaitJoin(group, replacement);
        if (group.state == GroupState.PREPARING_REBALANCE) {
            tryCompleteJoin(group);
        } else {
            prepareRebalance(group, "static member " + request.groupInstanceId() + " rejoined with a new member id");
        }
        return joined;
    }

    private CompletableFuture<JoinGroupResponseData> awaitJoin(ClassicGroup group, GroupMember member) {
        if (member.pendingJoin != null && !member.pendingJoin.isDone()) {
            member.pendingJoin.complete(errorJoinResponse(Errors.REBALANCE_IN_PROGRESS, member.memberId));
        }
        member.pendingJoin = new CompletableFuture<>();
        member.cancelSessionExpiry(); // while waiting to join, the rebalance timeout applies instead
        return member.pendingJoin;
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
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

    private void tryCompleteJoin(ClassicGroup group) {
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

    private JoinGroupResponseData joinResponse(ClassicGroup group, GroupMember member, Errors error) {
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

    private static CompletableFuture<JoinGroupResponseData> joinError(Errors error, String memberId) {
        return CompletableFuture.completedFuture(errorJoinResponse(error, memberId));
    }

    private static JoinGroupResponseData errorJoinResponse(Errors error, String memberId) {
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

    // ---------------------------------------------------------------- SyncGroup

    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request) {
        Errors notHere = coordinatorError(request.groupId());
        if (notHere != Errors.NONE) {
            return syncError(notHere);
        }
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return syncError(Errors.UNKNOWN_MEMBER_ID);
        }
        synchronized (group) {
            Errors error = validateMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
            if (error != Errors.NONE) {
                return syncError(error);
            }
            if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType))
                    || (request.protocolName() != null && !request.protocolName().equals(group.protocolName))) {
                return syncError(Errors.INCONSISTENT_GROUP_PROTOCOL);
            }
            GroupMember member = group.members.get(request.memberId());
            switch (group.state) {
                case PREPARING_REBALANCE -> {
                    return syncError(Errors.REBALANCE_IN_PROGRESS);
                }
                case STABLE -> {
                    scheduleSessionExpiry(group, member);
                    return CompletableFuture.completedFuture(syncResponse(group, member.assignment));
                }
                case COMPLETING_REBALANCE -> {
                    CompletableFuture<SyncGroupResponseData> synced = new CompletableFuture<>();
                    member.pendingSync = synced;
                    scheduleSessionExpiry(group, member);
                    if (member.memberId.equals(group.leaderId)) {
                        Map<String, byte[]> assignments = new HashMap<>();
                        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
                        completeSync(group, assignments);
                    }
                    return synced;
                }
                default -> {
                    return syncError(Errors.UNKNOWN_MEMBER_ID);
                }
            }
        }
    }

    private void completeSync(ClassicGroup group, Map<String, byte[]> assignments) {
        for (GroupMember member : group.members.values()) {
            member.assignment = assignments.getOrDefault(member.memberId, new byte[0]);
        }
        CompletableFuture<Errors> stored;
        try {
            stored = persistGroupMetadata(group);
            group.transitionTo(GroupState.STABLE, clock.millis());
        } catch (CoordinatorException e) {
            stored = CompletableFuture.completedFuture(e.error());
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
        stored.whenComplete((error, failure) -> {
            Errors outcome = failure != null ? Errors.COORDINATOR_NOT_AVAILABLE : error;
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

    private static SyncGroupResponseData syncResponse(ClassicGroup group, byte[] assignment) {
        return new SyncGroupResponseData().setErrorCode(Errors.NONE.code()).setProtocolType(group.protocolType)
                .setProtocolName(group.protocolName).setAssignment(assignment);
    }

    private static CompletableFuture<SyncGroupResponseData> syncError(Errors error) {
        return CompletableFuture.completedFuture(new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]));
    }

    /** Kafka's checks of who a request comes from: a known member, not fenced, of the current generation. */
    private static Errors validateMember(ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
        if (group.state == GroupState.DEAD) {
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

    // ---------------------------------------------------------------- Heartbeat, LeaveGroup, session expiry

    public Errors heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            return notHere;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
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
                scheduleSessionExpiry(group, member);
            }
            return group.state == GroupState.PREPARING_REBALANCE ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
        }
    }

    /** A member leaving, by member id or (static members) by instance id. */
    public record LeavingMember(String memberId, String groupInstanceId) {
    }

    /** Removes members that leave; returns an error per member, in order. */
    public List<Errors> leaveGroup(String groupId, List<LeavingMember> leaving) {
        List<Errors> results = new ArrayList<>();
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            leaving.forEach(member -> results.add(notHere));
            return results;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            leaving.forEach(member -> results.add(Errors.UNKNOWN_MEMBER_ID));
            return results;
        }
        synchronized (group) {
            boolean removedAny = false;
            for (LeavingMember leaver : leaving) {
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
                removeMember(group, member, "left the group");
                removedAny = true;
                results.add(Errors.NONE);
            }
            if (removedAny) {
                afterMemberRemoved(group);
            }
        }
        return results;
    }

    private void removeMember(ClassicGroup group, GroupMember member, String reason) {
        log.info("Group {}: member {} {}", group.groupId, member.memberId, reason);
        if (member.pendingJoin != null) {
            member.pendingJoin.complete(errorJoinResponse(Errors.UNKNOWN_MEMBER_ID, member.memberId));
        }
        if (member.pendingSync != null) {
            member.pendingSync.complete(new SyncGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code()));
        }
        group.remove(member.memberId);
    }

    private void afterMemberRemoved(ClassicGroup group) {
        switch (group.state) {
            case PREPARING_REBALANCE -> tryCompleteJoin(group);
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, "a member left");
            default -> {
            }
        }
    }

    private void scheduleSessionExpiry(ClassicGroup group, GroupMember member) {
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
        Map<TopicPartition, Errors> results = new HashMap<>();
        if (groupId == null || groupId.isEmpty()) {
            offsets.forEach(o -> results.put(o.topicPartition(), Errors.INVALID_GROUP_ID));
            return CompletableFuture.completedFuture(results);
        }
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            offsets.forEach(o -> results.put(o.topicPartition(), notHere));
            return CompletableFuture.completedFuture(results);
        }
        ClassicGroup group = generationId < 0 ? group(groupId) : groups.get(groupId);
        Errors error = Errors.NONE;
        CompletableFuture<Errors> stored = null;
        if (group == null) {
            error = Errors.ILLEGAL_GENERATION;
        } else {
            synchronized (group) {
                if (generationId < 0 && (memberId == null || memberId.isEmpty())) {
                    if (!group.isEmpty()) {
                        error = Errors.UNKNOWN_MEMBER_ID;
                    }
                } else {
                    error = validateMember(group, memberId, groupInstanceId, generationId);
                    if (error == Errors.NONE && group.state == GroupState.COMPLETING_REBALANCE) {
                        error = Errors.REBALANCE_IN_PROGRESS;
                    }
                    if (error == Errors.NONE && group.members.get(memberId).pendingJoin == null) {
                        scheduleSessionExpiry(group, group.members.get(memberId));
                    }
                }
                if (error == Errors.NONE) {
                    List<SimpleRecord> records = new ArrayList<>();
                    long now = clock.millis();
                    for (OffsetToCommit offset : offsets) {
                        String metadata = offset.metadata() == null ? "" : offset.metadata();
                        if (metadata.length() > config.offsetMetadataMaxBytes()) {
                            results.put(offset.topicPartition(), Errors.OFFSET_METADATA_TOO_LARGE);
                            continue;
                        }
                        records.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(groupId, offset.topicPartition()),
                                CoordinatorRecords.offsetValue(new CommittedOffset(offset.offset(), offset.leaderEpoch(),
                                        metadata, now))));
                        results.put(offset.topicPartition(), Errors.NONE);
                    }
                    if (!records.isEmpty()) {
                        try {
                            stored = storeOffsets(group, records);
                        } catch (CoordinatorException e) {
                            error = e.error();
                        }
                    }
                }
            }
        }
        if (error != Errors.NONE) {
            for (OffsetToCommit offset : offsets) {
                results.put(offset.topicPartition(), error);
            }
        }
        if (stored == null) {
            return CompletableFuture.completedFuture(results);
        }
        return stored.handle((storeError, failure) -> {
            Errors outcome = failure != null ? Errors.COORDINATOR_NOT_AVAILABLE : storeError;
            if (outcome != Errors.NONE) {
                results.replaceAll((tp, partitionError) -> partitionError == Errors.NONE ? outcome : partitionError);
            }
            return results;
        });
    }

    /**
     * Holds the group's lock. Appends offset records; they take effect once replicated, so that no
     * one reads an offset a failover could lose.
     */
    private CompletableFuture<Errors> storeOffsets(ClassicGroup group, List<SimpleRecord> records) {
        Partition.ProduceOutcome outcome = append(group.groupId, records);
        return replication(group.groupId, outcome).thenApply(error -> {
            if (error == Errors.NONE) {
                synchronized (group) {
                    if (group.state != GroupState.DEAD) {
                        for (int i = 0; i < records.size(); i++) {
                            CoordinatorRecords.Key key = CoordinatorRecords.readKey(records.get(i).key());
                            applyOffset(group, key.topicPartition(), records.get(i).value(), outcome.baseOffset() + i);
                        }
                    }
                }
            }
            return error;
        });
    }

    /** The group's committed offsets: all of them, or those of the given partitions (-1 where none). */
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId, Collection<TopicPartition> requested) {
        Map<TopicPartition, CommittedOffset> result = new java.util.LinkedHashMap<>();
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (requested != null) {
                requested.forEach(tp -> result.put(tp, new CommittedOffset(-1, -1, "", -1)));
            }
            return result;
        }
        synchronized (group) {
            if (requested == null) {
                result.putAll(group.offsets);
            } else {
                requested.forEach(tp -> result.put(tp, group.offsets.getOrDefault(tp, new CommittedOffset(-1, -1, "", -1))));
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- describing, listing, deleting

    /** A snapshot of a group for DescribeGroups and ListGroups. */
    public record GroupSummary(String groupId, GroupState state, String protocolType, String protocolName,
            List<MemberSummary> members) {
    }

    public record MemberSummary(String memberId, String groupInstanceId, String clientId, String clientHost,
            byte[] metadata, byte[] assignment) {
    }

    public Optional<GroupSummary> describe(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Optional.empty();
        }
        synchronized (group) {
            List<MemberSummary> members = new ArrayList<>();
            for (GroupMember member : group.members.values()) {
                members.add(new MemberSummary(member.memberId, member.groupInstanceId, member.clientId, member.clientHost,
                        group.protocolName == null ? new byte[0] : member.metadata(group.protocolName),
                        group.state == GroupState.STABLE ? member.assignment : new byte[0]));
            }
            return Optional.of(new GroupSummary(group.groupId, group.state,
                    group.protocolType == null ? "" : group.protocolType,
                    group.state == GroupState.STABLE && group.protocolName != null ? group.protocolName : "", members));
        }
    }

    public List<GroupSummary> listGroups() {
        List<GroupSummary> summaries = new ArrayList<>();
        for (String groupId : groups.keySet()) {
            describe(groupId).filter(summary -> summary.state() != GroupState.DEAD).ifPresent(summaries::add);
        }
        return summaries;
    }

    /** Deletes an empty group and its offsets. */
    public Errors deleteGroup(String groupId) {
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            return notHere;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        synchronized (group) {
            if (group.state == GroupState.DEAD) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            if (group.state != GroupState.EMPTY) {
                return Errors.NON_EMPTY_GROUP;
            }
            List<SimpleRecord> tombstones = new ArrayList<>();
            long now = clock.millis();
            for (TopicPartition tp : group.offsets.keySet()) {
                tombstones.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(groupId, tp), null));
            }
            tombstones.add(new SimpleRecord(now, CoordinatorRecords.groupKey(groupId), null));
            try {
                write(groupId, tombstones);
            } catch (CoordinatorException e) {
                return e.error();
            }
            group.transitionTo(GroupState.DEAD, now);
            groups.remove(groupId, group);
            log.info("Deleted group {}", groupId);
            return Errors.NONE;
        }
    }

    /**
     * Deletes committed offsets of partitions the group does not consume (OffsetDelete).
     *
     * @param subscribedTopics the topics the group's members subscribe to
     */
    public Map<TopicPartition, Errors> deleteOffsets(String groupId, Collection<TopicPartition> partitionsToDelete,
            java.util.function.Function<GroupSummary, java.util.Set<String>> subscribedTopics) {
        Map<TopicPartition, Errors> results = new HashMap<>();
        Errors notHere = coordinatorError(groupId);
        if (notHere != Errors.NONE) {
            throw new CoordinatorException(notHere, "This broker does not coordinate group " + groupId + " now");
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " does not exist");
        }
        java.util.Set<String> subscribed = group.state == GroupState.EMPTY ? java.util.Set.of()
                : subscribedTopics.apply(describe(groupId).orElseThrow());
        synchronized (group) {
            List<SimpleRecord> tombstones = new ArrayList<>();
            long now = clock.millis();
            for (TopicPartition tp : partitionsToDelete) {
                if (subscribed.contains(tp.topic())) {
                    results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    if (group.offsets.containsKey(tp)) {
                        tombstones.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(groupId, tp), null));
                    }
                    results.put(tp, Errors.NONE);
                }
            }
            if (!tombstones.isEmpty()) {
                write(groupId, tombstones);
            }
        }
        return results;
    }

    /** Removes the offsets of groups that stayed empty longer than {@code offsets.retention.minutes}. */
    void expireOffsets() {
        long now = clock.millis();
        for (ClassicGroup group : groups.values()) {
            if (coordinatorError(group.groupId) != Errors.NONE) {
                continue; // being loaded, or no longer ours
            }
            try {
                synchronized (group) {
                    if (group.state != GroupState.EMPTY) {
                        continue;
                    }
                    List<SimpleRecord> tombstones = new ArrayList<>();
                    boolean standalone = group.protocolType == null || group.protocolType.isEmpty();
                    for (Map.Entry<TopicPartition, CommittedOffset> entry : group.offsets.entrySet()) {
                        long since = standalone ? entry.getValue().commitTimestamp() : group.stateTimestamp;
                        if (now - since >= config.offsetsRetentionMs()) {
                            tombstones.add(new SimpleRecord(now, CoordinatorRecords.offsetKey(group.groupId, entry.getKey()), null));
                        }
                    }
                    if (tombstones.size() == group.offsets.size()) {
                        tombstones.add(new SimpleRecord(now, CoordinatorRecords.groupKey(group.groupId), null));
                    }
                    if (!tombstones.isEmpty()) {
                        log.info("Group {}: expiring {} committed offsets after offsets.retention.minutes", group.groupId,
                                tombstones.size());
                        write(group.groupId, tombstones);
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Group {}: offset expiration failed: {}", group.groupId, e.toString());
            }
        }
    }

    private void persistQuietly(ClassicGroup group) {
        try {
            persistGroupMetadata(group);
        } catch (CoordinatorException e) {
            log.warn("Group {}: {}", group.groupId, e.getMessage());
        }
    }
}
