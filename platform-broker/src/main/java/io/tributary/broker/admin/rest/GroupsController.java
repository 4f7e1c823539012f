package io.tributary.broker.admin.rest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Consumer groups: list, describe (members with their decoded assignments, offsets with lag) and
 * reset the offsets of a group that has no members.
 */
@RestController
@RequestMapping("/api/groups")
class GroupsController {

    record GroupListing(String groupId, String state, String protocolType, int members) {
    }

    /**
     * A member of a group.
     *
     * @param assignment the partitions assigned, by topic, when the group uses the consumer protocol
     *                   and is stable; else empty
     */
    record Member(String memberId, String groupInstanceId, String clientId, String host,
            Map<String, List<Integer>> assignment) {
    }

    /** A committed offset with the partition's end (high watermark) and the lag between them. */
    record OffsetLag(String topic, int partition, long committedOffset, long endOffset, long lag) {
    }

    record GroupDescription(String groupId, String state, String protocolType, String protocol, List<Member> members,
            List<OffsetLag> offsets) {
    }

    /**
     * Where to move a group's offsets on every partition of a topic.
     *
     * @param to {@code earliest}, {@code latest}, {@code timestamp} (with {@code timestamp}) or
     *           {@code offset} (with {@code offset}, clamped to the partition's readable range)
     */
    record OffsetReset(String topic, String to, Long timestamp, Long offset) {
    }

    record PartitionOffset(String topic, int partition, long offset) {
    }

    record OffsetResetResult(String groupId, List<PartitionOffset> offsets) {
    }

    private final GroupCoordinator groups;
    private final ConsumerLag lag;
    private final TopicManager topics;
    private final PartitionManager partitions;

    GroupsController(GroupCoordinator groups, ConsumerLag lag, TopicManager topics, PartitionManager partitions) {
        this.groups = groups;
        this.lag = lag;
        this.topics = topics;
        this.partitions = partitions;
    }

    @GetMapping
    List<GroupListing> list() {
        return groups.listGroups().stream()
                .sorted(Comparator.comparing(GroupSummary::groupId))
                .map(g -> new GroupListing(g.groupId(), g.state().kafkaName(), g.protocolType(), g.members().size()))
                .toList();
    }

    @GetMapping("/{groupId}")
    GroupDescription describe(@PathVariable String groupId) {
        GroupSummary group = groups.describe(groupId).filter(g -> g.state() != GroupState.DEAD)
                .orElseThrow(() -> AdminProblems.notFound("Group '" + groupId + "' does not exist."));
        boolean consumer = "consumer".equals(group.protocolType());
        List<Member> members = group.members().stream()
                .map(m -> new Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                        consumer ? assignment(m) : Map.of()))
                .toList();
        List<OffsetLag> offsets = lag.of(groupId).stream()
                .map(l -> new OffsetLag(l.topicPartition().topic(), l.topicPartition().partition(), l.committedOffset(),
                        l.endOffset(), l.lag()))
                .sorted(Comparator.comparing(OffsetLag::topic).thenComparingInt(OffsetLag::partition))
                .toList();
        return new GroupDescription(group.groupId(), group.state().kafkaName(), group.protocolType(),
                group.protocolName(), members, offsets);
    }

    @PostMapping("/{groupId}/offsets/reset")
    OffsetResetResult resetOffsets(@PathVariable String groupId, @RequestBody OffsetReset request) {
        if (groupId.isBlank()) {
            throw AdminProblems.badRequest("A group id must not be blank");
        }
        if (request.topic() == null || request.to() == null) {
            throw AdminProblems.badRequest("A reset needs a topic and a target (to)");
        }
        TopicInfo topic = topics.store().topic(request.topic()).orElseThrow(() -> new MetadataException(
                Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + request.topic() + "' does not exist."));
        Optional<GroupSummary> group = groups.describe(groupId);
        if (group.isPresent() && group.get().state() != GroupState.EMPTY && group.get().state() != GroupState.DEAD) {
            throw activeGroup(groupId, group.get().state());
        }
        List<OffsetToCommit> commits = new ArrayList<>();
        for (int index = 0; index < topic.partitionCount(); index++) {
            TopicPartition tp = new TopicPartition(topic.name(), index);
            Partition partition = partitions.partition(tp).orElseThrow(() -> new MetadataException(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp + " does not exist."));
            commits.add(new OffsetToCommit(tp, target(partition.log(), request), -1, "reset by the admin API"));
        }
        // The coordinator checks again, under the group's lock, that no member joined meanwhile.
        Map<TopicPartition, Errors> results = groups.commitOffsets(groupId, -1, "", null, commits);
        Errors error = results.values().stream().filter(e -> e != Errors.NONE).findFirst().orElse(Errors.NONE);
        if (error == Errors.UNKNOWN_MEMBER_ID) {
            throw activeGroup(groupId, groups.describe(groupId).map(GroupSummary::state).orElse(GroupState.EMPTY));
        }
        if (error != Errors.NONE) {
            throw new MetadataException(error, "The offsets of group '" + groupId + "' could not be reset: "
                    + error.message());
        }
        return new OffsetResetResult(groupId, commits.stream()
                .map(c -> new PartitionOffset(c.topicPartition().topic(), c.topicPartition().partition(), c.offset()))
                .toList());
    }

    private static RuntimeException activeGroup(String groupId, GroupState state) {
        return AdminProblems.conflict("Group '" + groupId + "' is " + state.kafkaName()
                + ": offsets can only be reset while the group has no members");
    }

    private static long target(PartitionLog log, OffsetReset request) {
        return switch (request.to()) {
            case "earliest" -> log.logStartOffset();
            case "latest" -> log.highWatermark();
            case "timestamp" -> {
                if (request.timestamp() == null) {
                    throw AdminProblems.badRequest("A reset to a timestamp needs the timestamp");
                }
                yield log.offsetForTimestamp(request.timestamp()).map(TimestampOffset::offset)
                        .filter(offset -> offset < log.highWatermark())
                        .orElse(log.highWatermark());
            }
            case "offset" -> {
                if (request.offset() == null) {
                    throw AdminProblems.badRequest("A reset to an offset needs the offset");
                }
                yield Math.max(log.logStartOffset(), Math.min(request.offset(), log.highWatermark()));
            }
            default -> throw AdminProblems.badRequest("Unknown reset target '" + request.to()
                    + "': expected earliest, latest, timestamp or offset");
        };
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
