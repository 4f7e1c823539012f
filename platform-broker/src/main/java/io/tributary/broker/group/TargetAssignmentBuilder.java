package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import io.tributary.broker.group.assignor.ConsumerGroupAssignor;
import io.tributary.broker.group.assignor.ConsumerGroupAssignor.AssignmentMember;
import io.tributary.broker.group.assignor.PartitionRacks;
import io.tributary.broker.group.assignor.RangeAssignor;
import io.tributary.broker.group.assignor.UniformAssignor;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The target assignment of a consumer group (Kafka's {@code TargetAssignmentBuilder}): what the group's
 * members subscribe to as the cluster has it now (topics, partition counts and their replicas' racks:
 * a change of any moves the group epoch, KIP-1101), which assignor the group uses, and the assignor's run
 * for the group's epoch, with the members' racks and the partitions' (KIP-881).
 *
 * <p>Callers hold the group's lock; the builder keeps no state of its own beyond the assignors.
 */
final class TargetAssignmentBuilder {

    private final ConsumerGroupConfig config;
    private final Supplier<Collection<TopicInfo>> topics;
    private final Supplier<PartitionRacks> racks;
    private final Map<String, ConsumerGroupAssignor> assignors = new HashMap<>();

    TargetAssignmentBuilder(ConsumerGroupConfig config, Supplier<Collection<TopicInfo>> topics,
            Supplier<PartitionRacks> racks) {
        this.config = config;
        this.topics = topics;
        this.racks = racks;
        for (ConsumerGroupAssignor assignor : List.of(new UniformAssignor(), new RangeAssignor())) {
            if (config.assignors().contains(assignor.name())) {
                assignors.put(assignor.name(), assignor);
            }
        }
        for (String name : config.assignors()) {
            if (!assignors.containsKey(name)) {
                throw new IllegalArgumentException("Unknown consumer group assignor '" + name + "' (known: uniform, range)");
            }
        }
    }

    boolean supports(String assignor) {
        return assignors.containsKey(assignor);
    }

    /** The assignor a group shows before it has computed an assignment: the first of {@code group.consumer.assignors}. */
    String defaultAssignor() {
        return config.assignors().get(0);
    }

    /**
     * The subscribed topics that exist, with their partition counts and a digest of where their replicas
     * are: a change of either moves the group epoch.
     */
    ConsumerGroup.SubscriptionMetadata subscriptionMetadata(ConsumerGroup group) {
        Map<String, Integer> counts = new TreeMap<>();
        Collection<TopicInfo> all = topics.get();
        for (ConsumerGroupMember member : group.members.values()) {
            for (TopicInfo topic : subscribedTopics(member, all)) {
                counts.put(topic.name(), topic.partitionCount());
            }
        }
        return new ConsumerGroup.SubscriptionMetadata(Map.copyOf(counts), racksDigest(counts, racks.get()));
    }

    /**
     * A digest of the racks of every subscribed partition's replicas (Kafka hashes them into its topic
     * hashes), 0 when none has a rack, so that a cluster without racks never moves an epoch for them.
     */
    static long racksDigest(Map<String, Integer> counts, PartitionRacks racks) {
        long digest = 0xcbf29ce484222325L; // FNV-1a
        boolean any = false;
        for (Map.Entry<String, Integer> topic : new TreeMap<>(counts).entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                Set<String> of = racks.racks(new TopicPartition(topic.getKey(), p));
                if (of.isEmpty()) {
                    continue;
                }
                any = true;
                digest = fnv(digest, topic.getKey() + "-" + p + ":" + String.join(",", new TreeSet<>(of)) + ";");
            }
        }
        return any ? digest : 0;
    }

    private static long fnv(long digest, String text) {
        for (int i = 0; i < text.length(); i++) {
            digest ^= text.charAt(i);
            digest *= 0x100000001b3L;
        }
        return digest;
    }

    /** The existing topics a member subscribes to: by name, or matching its regular expression (internal topics never). */
    static List<TopicInfo> subscribedTopics(ConsumerGroupMember member, Collection<TopicInfo> all) {
        Pattern regex = member.subscribedTopicRegex == null ? null : Pattern.compile(member.subscribedTopicRegex);
        Set<String> names = new HashSet<>(member.subscribedTopicNames);
        List<TopicInfo> subscribed = new ArrayList<>();
        for (TopicInfo topic : all) {
            if (names.contains(topic.name()) || (regex != null && !topic.isInternal() && regex.matcher(topic.name()).matches())) {
                subscribed.add(topic);
            }
        }
        return subscribed;
    }

    /** Runs the group's assignor for its current epoch: the target assignment of that epoch. */
    void build(ConsumerGroup group) {
        ConsumerGroupAssignor assignor = assignors.get(assignorName(group));
        Collection<TopicInfo> all = topics.get();
        List<AssignmentMember> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members.values()) {
            Set<String> subscribed = new HashSet<>();
            subscribedTopics(member, all).forEach(topic -> subscribed.add(topic.name()));
            members.add(new AssignmentMember(member.memberId, member.instanceId, member.rackId, subscribed));
        }
        Map<String, Set<TopicPartition>> target = assignor.assign(members, group.subscriptionMetadata.partitionCounts(),
                Map.copyOf(group.targetAssignment), racks.get());
        group.targetAssignment.clear();
        group.targetAssignment.putAll(target);
        group.assignmentEpoch = group.groupEpoch;
        group.assignorName = assignor.name();
    }

    /** The assignor most members ask for, else the first of {@code group.consumer.assignors}, as Kafka chooses. */
    private String assignorName(ConsumerGroup group) {
        Map<String, Integer> votes = new TreeMap<>();
        for (ConsumerGroupMember member : group.members.values()) {
            if (member.serverAssignor != null) {
                votes.merge(member.serverAssignor, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(defaultAssignor());
    }
}
