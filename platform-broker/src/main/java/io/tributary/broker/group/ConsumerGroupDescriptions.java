package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * Consumer groups as tools see them: ConsumerGroupDescribe (epochs, each member's rack, subscription,
 * assignment and target), and the summary DescribeGroups, ListGroups and the admin side show of every group.
 */
final class ConsumerGroupDescriptions {

    private final Supplier<Collection<TopicInfo>> topics;
    private final String defaultAssignor;

    ConsumerGroupDescriptions(Supplier<Collection<TopicInfo>> topics, String defaultAssignor) {
        this.topics = topics;
        this.defaultAssignor = defaultAssignor;
    }

    /** ConsumerGroupDescribe of one group: {@code found} is what the shard holds under the id, or null. */
    ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId, Group found) {
        if (!(found instanceof ConsumerGroup group)) {
            return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage(found == null
                            ? "Group " + groupId + " not found." : "Group " + groupId + " is not a consumer group.");
        }
        Map<String, Uuid> ids = topicIds();
        synchronized (group) {
            if (group.isGone()) {
                return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " not found.");
            }
            List<ConsumerGroupDescribeResponseData.Member> members = new ArrayList<>();
            for (ConsumerGroupMember member : group.members.values()) {
                members.add(new ConsumerGroupDescribeResponseData.Member().setMemberId(member.memberId)
                        .setInstanceId(member.instanceId).setRackId(member.rackId).setMemberEpoch(member.memberEpoch)
                        .setClientId(nullToEmpty(member.clientId)).setClientHost(nullToEmpty(member.clientHost))
                        .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames))
                        .setSubscribedTopicRegex(member.subscribedTopicRegex)
                        .setAssignment(describedAssignment(member.assigned, ids))
                        .setTargetAssignment(describedAssignment(group.targetAssignment.getOrDefault(member.memberId, Set.of()), ids))
                        .setMemberType(member.usesClassicProtocol() ? (byte) 0 : (byte) 1));
            }
            return new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                    .setGroupState(group.stateName()).setGroupEpoch(group.groupEpoch)
                    .setAssignmentEpoch(group.assignmentEpoch)
                    .setAssignorName(group.assignorName == null ? defaultAssignor : group.assignorName)
                    .setMembers(members);
        }
    }

    private static ConsumerGroupDescribeResponseData.Assignment describedAssignment(Set<TopicPartition> partitions,
            Map<String, Uuid> ids) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> topicPartitions = new ArrayList<>();
        byTopic(partitions).forEach((topic, numbers) -> topicPartitions.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                .setTopicName(topic).setTopicId(ids.getOrDefault(topic, Uuid.ZERO_UUID)).setPartitions(numbers)));
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(topicPartitions);
    }

    /**
     * Holds the group's lock. The group as DescribeGroups, ListGroups and the admin side see every group:
     * subscriptions and assignments in the classic consumer protocol's encoding, so lag and tools read them alike.
     */
    GroupCoordinator.GroupSummary summary(ConsumerGroup group) {
        Collection<TopicInfo> all = topics.get();
        List<GroupCoordinator.MemberSummary> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members.values()) {
            List<String> subscribed = new ArrayList<>(new LinkedHashSet<>(member.subscribedTopicNames));
            TargetAssignmentBuilder.subscribedTopics(member, all).forEach(topic -> {
                if (!subscribed.contains(topic.name())) {
                    subscribed.add(topic.name());
                }
            });
            byte[] subscription = Utils.toArray(ConsumerProtocol.serializeSubscription(
                    new ConsumerPartitionAssignor.Subscription(subscribed)));
            byte[] assignment = Utils.toArray(ConsumerProtocol.serializeAssignment(
                    new ConsumerPartitionAssignor.Assignment(new ArrayList<>(member.assigned))));
            members.add(new GroupCoordinator.MemberSummary(member.memberId, member.instanceId, nullToEmpty(member.clientId),
                    nullToEmpty(member.clientHost), subscription, assignment));
        }
        return new GroupCoordinator.GroupSummary(group.groupId, group.type(), group.stateName(), ConsumerProtocol.PROTOCOL_TYPE,
                group.assignorName == null ? "" : group.assignorName, members);
    }

    /** Topic ids by name, as the cluster has them now. */
    Map<String, Uuid> topicIds() {
        Map<String, Uuid> ids = new HashMap<>();
        topics.get().forEach(topic -> ids.put(topic.name(), topic.id()));
        return ids;
    }

    /** Partitions by topic name, each topic's in order. */
    static Map<String, List<Integer>> byTopic(Set<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        byTopic.values().forEach(list -> list.sort(Integer::compare));
        return byTopic;
    }

    static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
