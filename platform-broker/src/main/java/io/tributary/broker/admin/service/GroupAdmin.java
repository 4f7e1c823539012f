package io.tributary.broker.admin.service;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.tributary.broker.group.CommittedOffset;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.group.GroupCoordinator.GroupSummary;
import io.tributary.broker.group.GroupCoordinator.MemberSummary;
import io.tributary.broker.group.GroupCoordinator.OffsetToCommit;
import io.tributary.broker.group.GroupState;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import tools.jackson.core.type.TypeReference;

/**
 * Groups of every type as an operator sees them: list, describe (members with their decoded assignments,
 * committed offsets — a share group's start offsets — with lag), and reset the offsets of a group that has no members — previewed
 * first, or applied. The admin API and the console both call this class; it covers the groups this
 * broker coordinates.
 */
public final class GroupAdmin {

    /**
     * A group as listed.
     *
     * @param type     {@code classic}, {@code consumer} or {@code share}, as ListGroups names group types
     * @param totalLag the sum of its partitions' lag ({@link OffsetLag}); a share group's backlog
     */
    public record GroupListing(String groupId, String type, String state, String protocolType, int members,
            long totalLag) {
    }

    /**
     * A member of a group.
     *
     * @param assignment the partitions assigned, by topic, when the group uses the consumer protocol
     *                   and is stable; else empty
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String host,
            Map<String, List<Integer>> assignment) {
    }

    /**
     * A group's position on a partition with the partition's end (high watermark) and the lag between them.
     *
     * @param committedOffset the committed offset; for a share group, which commits none, the share-partition's
     *                        start offset (records before it are done with), so that its lag is its backlog
     */
    public record OffsetLag(String topic, int partition, long committedOffset, long endOffset, long lag) {
    }

    public record GroupDescription(String groupId, String type, String state, String protocolType, String protocol,
            List<Member> members, List<OffsetLag> offsets) {

        public long totalLag() {
            return offsets.stream().mapToLong(OffsetLag::lag).sum();
        }
    }

    /**
     * Where to move a group's offsets on every partition of a topic.
     *
     * @param to {@code earliest}, {@code latest}, {@code timestamp} (with {@code timestamp}) or
     *           {@code offset} (with {@code offset}, clamped to the partition's readable range)
     */
    public record OffsetReset(String topic, String to, Long timestamp, Long offset) {
    }

    public record PartitionOffset(String topic, int partition, long offset) {
    }

    public record OffsetResetResult(String groupId, List<PartitionOffset> offsets) {
    }

    /**
     * What a reset would do on one partition.
     *
     * @param currentOffset the committed offset now, or -1 when the group has none
     */
    public record ResetPreview(String topic, int partition, long currentOffset, long newOffset, long logStartOffset,
            long highWatermark) {
    }

    private static final TypeReference<List<GroupListing>> LISTINGS = new TypeReference<>() {
    };
    private static final TypeReference<GroupDescription> DESCRIPTION = new TypeReference<>() {
    };
    private static final TypeReference<List<ResetPreview>> PREVIEW = new TypeReference<>() {
    };
    private static final TypeReference<OffsetResetResult> RESET = new TypeReference<>() {
    };

    private final GroupCoordinator groups;
    private final TopicAdmin topics;
    private final ClusterPartitions cluster;
    private final RecordBrowser records;
    private final PeerBrokers peers;
    private final ConsumerLag lag;

    public GroupAdmin(GroupCoordinator groups, TopicAdmin topics, ClusterPartitions cluster,
            RecordBrowser records, PeerBrokers peers, ConsumerLag lag) {
        this.groups = groups;
        this.lag = lag;
        this.topics = topics;
        this.cluster = cluster;
        this.records = records;
        this.peers = peers;
    }

    /** The groups of the whole cluster: this broker's, and those the other brokers coordinate. */
    public List<GroupListing> list() {
        Map<String, GroupListing> all = new TreeMap<>();
        for (GroupSummary g : groups.listGroups()) {
            all.put(g.groupId(), new GroupListing(g.groupId(), typeName(g.type()), g.state(), g.protocolType(),
                    g.members().size(), offsetLags(g.groupId()).stream().mapToLong(OffsetLag::lag).sum()));
        }
        if (peers.mayForward()) {
            // Each broker answers a forwarded listing with the groups it coordinates, and asks no one.
            for (PeerBrokers.Answer<List<GroupListing>> answer : peers.askOthers("/api/groups", LISTINGS)) {
                if (answer.ok()) {
                    answer.value().forEach(g -> all.putIfAbsent(g.groupId(), g));
                }
            }
        }
        AdminAuthorization authorization = topics.authorization();
        return all.values().stream()
                .filter(g -> authorization.allowed(AclOperation.DESCRIBE, ResourceType.GROUP, g.groupId(), ApiKeys.LIST_GROUPS))
                .toList();
    }

    public GroupDescription describe(String groupId) {
        topics.authorization().check(AclOperation.DESCRIBE, ResourceType.GROUP, groupId, ApiKeys.DESCRIBE_GROUPS);
        Optional<Integer> coordinator = elsewhere(groupId);
        if (coordinator.isPresent()) {
            return peers.get(coordinator.get(), "/api/groups/" + PeerBrokers.segment(groupId), DESCRIPTION);
        }
        GroupSummary group = groups.describe(groupId).filter(g -> !g.isDead())
                .orElseThrow(() -> AdminProblems.notFound("Group '" + groupId + "' does not exist."));
        boolean consumer = "consumer".equals(group.protocolType());
        List<Member> members = group.members().stream()
                .map(m -> new Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                        consumer ? assignment(m) : Map.of()))
                .toList();
        List<OffsetLag> offsets = offsetLags(groupId);
        return new GroupDescription(group.groupId(), typeName(group.type()), group.state(), group.protocolType(),
                group.protocolName(), members, offsets);
    }

    /** The total lag of each group this broker coordinates (what the console charts over time). */
    public Map<String, Long> coordinatedLags() {
        Map<String, Long> totals = new TreeMap<>();
        for (GroupSummary group : groups.listGroups()) {
            totals.put(group.groupId(), offsetLags(group.groupId()).stream().mapToLong(OffsetLag::lag).sum());
        }
        return totals;
    }

    /** The broker that coordinates the group, when that is not this one. */
    public Optional<Integer> coordinatorElsewhere(String groupId) {
        return elsewhere(groupId);
    }

    /** How the admin API names a group type: as ListGroups does ({@code classic}, {@code consumer}, {@code share}). */
    static String typeName(GroupType type) {
        return type.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * The group's positions (committed offsets, a share group's start offsets: {@link ConsumerLag#positions})
     * with each partition's high watermark — this broker's replica's, or its leader's when the partition is
     * held elsewhere — sorted by topic and partition.
     */
    private List<OffsetLag> offsetLags(String groupId) {
        Map<String, Map<TopicPartition, ClusterPartitions.Figures>> byTopic = new HashMap<>();
        List<OffsetLag> lags = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : lag.positions(groupId).entrySet()) {
            TopicPartition tp = entry.getKey();
            long offset = entry.getValue();
            // This broker's replica when it holds one (no one to ask), else the figures of the topic's holders.
            ClusterPartitions.Figures figures = cluster.localFigures(tp)
                    .orElseGet(() -> byTopic.computeIfAbsent(tp.topic(), cluster::leaders).get(tp));
            if (figures == null) {
                continue; // deleted, or held by no broker that answered
            }
            long end = figures.highWatermark();
            lags.add(new OffsetLag(tp.topic(), tp.partition(), offset, end, Math.max(0, end - offset)));
        }
        lags.sort(Comparator.comparing(OffsetLag::topic).thenComparingInt(OffsetLag::partition));
        return lags;
    }

    /** The offsets a reset would commit, next to the current ones; changes nothing. */
    public List<ResetPreview> previewReset(String groupId, OffsetReset request) {
        topics.authorization().check(AclOperation.DESCRIBE, ResourceType.GROUP, groupId, ApiKeys.OFFSET_FETCH);
        Optional<Integer> coordinator = elsewhere(groupId);
        if (coordinator.isPresent()) {
            return peers.post(coordinator.get(), "/api/groups/" + PeerBrokers.segment(groupId) + "/offsets/reset/preview",
                    request, PREVIEW);
        }
        List<OffsetToCommit> commits = plannedCommits(groupId, request);
        Map<TopicPartition, CommittedOffset> current = groups.committedOffsets(groupId, null);
        List<ResetPreview> preview = new ArrayList<>();
        for (OffsetToCommit commit : commits) {
            TopicPartition tp = commit.topicPartition();
            CommittedOffset committed = current.get(tp);
            ClusterPartitions.Figures figures = cluster.figures(tp);
            preview.add(new ResetPreview(tp.topic(), tp.partition(), committed != null ? committed.offset() : -1,
                    commit.offset(), figures.logStartOffset(), figures.highWatermark()));
        }
        return preview;
    }

    public OffsetResetResult resetOffsets(String groupId, OffsetReset request) {
        // What OffsetCommit needs: READ on the group and on every topic committed to.
        topics.authorization().check(AclOperation.READ, ResourceType.GROUP, groupId, ApiKeys.OFFSET_COMMIT);
        Optional<Integer> coordinator = elsewhere(groupId);
        if (coordinator.isPresent()) {
            return peers.post(coordinator.get(), "/api/groups/" + PeerBrokers.segment(groupId) + "/offsets/reset",
                    request, RESET);
        }
        List<OffsetToCommit> commits = plannedCommits(groupId, request);
        commits.stream().map(commit -> commit.topicPartition().topic()).distinct().forEach(topic ->
                topics.authorization().check(AclOperation.READ, ResourceType.TOPIC, topic, ApiKeys.OFFSET_COMMIT));
        // The coordinator checks again, under the group's lock, that no member joined meanwhile.
        Map<TopicPartition, Errors> results = groups.commitOffsets(groupId, -1, "", null, commits);
        Errors error = results.values().stream().filter(e -> e != Errors.NONE).findFirst().orElse(Errors.NONE);
        if (error == Errors.UNKNOWN_MEMBER_ID) {
            throw activeGroup(groupId, groups.describe(groupId).map(GroupSummary::state).orElse(GroupState.EMPTY.kafkaName()));
        }
        if (error != Errors.NONE) {
            throw new MetadataException(error, "The offsets of group '" + groupId + "' could not be reset: "
                    + error.message());
        }
        return new OffsetResetResult(groupId, commits.stream()
                .map(c -> new PartitionOffset(c.topicPartition().topic(), c.topicPartition().partition(), c.offset()))
                .toList());
    }

    private List<OffsetToCommit> plannedCommits(String groupId, OffsetReset request) {
        if (groupId == null || groupId.isBlank()) {
            throw AdminProblems.badRequest("A group id must not be blank");
        }
        if (request.topic() == null || request.topic().isBlank() || request.to() == null) {
            throw AdminProblems.badRequest("A reset needs a topic and a target (to)");
        }
        TopicInfo topic = topics.topic(request.topic());
        Optional<GroupSummary> group = groups.describe(groupId);
        if (group.isPresent() && group.get().type() == org.apache.kafka.common.GroupType.SHARE) {
            // A share group's position is its share-partitions' start offsets, not committed offsets.
            throw AdminProblems.badRequest("Group '" + groupId + "' is a share group: move its start offsets with "
                    + "Admin.alterShareGroupOffsets (AlterShareGroupOffsets) while it has no members");
        }
        if (group.isPresent() && !group.get().isEmpty() && !group.get().isDead()) {
            throw activeGroup(groupId, group.get().state());
        }
        List<OffsetToCommit> commits = new ArrayList<>();
        for (int index = 0; index < topic.partitionCount(); index++) {
            TopicPartition tp = new TopicPartition(topic.name(), index);
            commits.add(new OffsetToCommit(tp, target(tp, request), -1, "reset by the admin API"));
        }
        return commits;
    }

    /**
     * The broker that coordinates the group when it is not this one: the leader of the group's
     * {@code __consumer_offsets} partition, as FindCoordinator answers.
     */
    private Optional<Integer> elsewhere(String groupId) {
        if (groupId == null || groupId.isBlank() || !peers.mayForward()) {
            return Optional.empty();
        }
        int index = groups.partitionFor(groupId);
        return topics.partitionState(GroupCoordinator.OFFSETS_TOPIC, index)
                .map(state -> state.leader())
                .filter(leader -> leader >= 0 && leader != peers.selfId());
    }

    private static RuntimeException activeGroup(String groupId, String state) {
        return AdminProblems.conflict("Group '" + groupId + "' is " + state
                + ": offsets can only be reset while the group has no members");
    }

    private long target(TopicPartition tp, OffsetReset request) {
        if (!List.of("earliest", "latest", "timestamp", "offset").contains(request.to())) {
            throw AdminProblems.badRequest("Unknown reset target '" + request.to()
                    + "': expected earliest, latest, timestamp or offset");
        }
        ClusterPartitions.Figures log = cluster.figures(tp);
        return switch (request.to()) {
            case "earliest" -> log.logStartOffset();
            case "latest" -> log.highWatermark();
            case "timestamp" -> {
                if (request.timestamp() == null) {
                    throw AdminProblems.badRequest("A reset to a timestamp needs the timestamp");
                }
                yield cluster.localOffsetForTimestamp(tp, request.timestamp()).orElseGet(() -> firstAt(tp, request.timestamp()));
            }
            case "offset" -> {
                if (request.offset() == null) {
                    throw AdminProblems.badRequest("A reset to an offset needs the offset");
                }
                if (request.offset() < 0) {
                    throw AdminProblems.badRequest("The offset must not be negative: " + request.offset());
                }
                yield Math.max(log.logStartOffset(), Math.min(request.offset(), log.highWatermark()));
            }
            default -> throw AdminProblems.badRequest("Unknown reset target '" + request.to()
                    + "': expected earliest, latest, timestamp or offset");
        };
    }

    /** The first offset at or after the time in a partition held elsewhere, read through its leader. */
    private long firstAt(TopicPartition tp, long timestamp) {
        RecordBrowser.RecordPage page = records.browse(tp.topic(), tp.partition(),
                new RecordBrowser.BrowseRequest(null, timestamp, false, 1, RecordBrowser.RecordFilter.NONE));
        return page.records().isEmpty() ? page.highWatermark() : page.records().get(0).offset();
    }

    /** The member's assignment by topic, decoded with the consumer protocol; empty when it does not decode. */
    private static Map<String, List<Integer>> assignment(MemberSummary member) {
        if (member.assignment() == null || member.assignment().length == 0) {
            return Map.of();
        }
        try {
            Assignment assignment = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(member.assignment()));
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            for (TopicPartition tp : assignment.partitions()) {
                byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
            }
            byTopic.values().forEach(list -> list.sort(null));
            return byTopic;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
