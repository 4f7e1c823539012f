package io.tributary.broker.group;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of {@code __consumer_offsets}, in Tributary's own versioned binary format: a key
 * names a group's metadata or one of its committed offsets; the value is the latest state, and a
 * null value (a tombstone) deletes it, so that compaction keeps exactly the live state.
 *
 * <p>A group's metadata value starts with its format: {@value #VERSION} for a classic group,
 * {@value #CONSUMER_GROUP_FORMAT} (or {@value #CONSUMER_GROUP_WITH_CLASSIC_MEMBERS_FORMAT}) for a KIP-848 consumer
 * group, {@value #SHARE_GROUP_FORMAT} for a KIP-932 share group. One key per group id, whatever its
 * type, so that the latest record says what the group is and one tombstone deletes it.
 */
final class CoordinatorRecords {

    private static final short VERSION = 0;
    static final short CONSUMER_GROUP_FORMAT = 1;
    /** A consumer group whose members may speak the classic protocol (an online migration); read with format 1's. */
    static final short CONSUMER_GROUP_WITH_CLASSIC_MEMBERS_FORMAT = 2;
    /** A KIP-932 share group: epochs, members, their subscriptions and assignments by topic id. */
    static final short SHARE_GROUP_FORMAT = 3;
    private static final byte OFFSET_KEY = 1;
    private static final byte GROUP_KEY = 2;

    private CoordinatorRecords() {
    }

    /** A member as stored in the group's metadata record. */
    record StoredMember(String memberId, String groupInstanceId, String clientId, String clientHost,
            int sessionTimeoutMs, int rebalanceTimeoutMs, byte[] subscription, byte[] assignment) {
    }

    /**
     * A group's metadata as stored: enough to answer DescribeGroups and to keep members after a restart.
     * {@code rebalancePending}: stored before a rebalance it must go through when loaded (a group just moved
     * back from the consumer protocol, whose members have not rejoined yet); written as a trailing byte that
     * older records do not have.
     */
    record StoredGroup(String protocolType, int generationId, String protocolName, String leaderId, long stateTimestamp,
            List<StoredMember> members, boolean rebalancePending) {

        StoredGroup(String protocolType, int generationId, String protocolName, String leaderId, long stateTimestamp,
                List<StoredMember> members) {
            this(protocolType, generationId, protocolName, leaderId, stateTimestamp, members, false);
        }
    }

    /** A decoded key: either an offset key (topic-partition set) or a group key. */
    record Key(String groupId, TopicPartition topicPartition) {
        boolean isOffset() {
            return topicPartition != null;
        }
    }

    static byte[] offsetKey(String groupId, TopicPartition topicPartition) {
        return write(out -> {
            out.writeShort(VERSION);
            out.writeByte(OFFSET_KEY);
            writeString(out, groupId);
            writeString(out, topicPartition.topic());
            out.writeInt(topicPartition.partition());
        });
    }

    static byte[] groupKey(String groupId) {
        return write(out -> {
            out.writeShort(VERSION);
            out.writeByte(GROUP_KEY);
            writeString(out, groupId);
        });
    }

    static byte[] offsetValue(CommittedOffset offset) {
        return write(out -> {
            out.writeShort(VERSION);
            out.writeLong(offset.offset());
            out.writeInt(offset.leaderEpoch());
            writeString(out, offset.metadata());
            out.writeLong(offset.commitTimestamp());
        });
    }

    static byte[] groupValue(StoredGroup group) {
        return write(out -> {
            out.writeShort(VERSION);
            writeString(out, group.protocolType());
            out.writeInt(group.generationId());
            writeString(out, group.protocolName());
            writeString(out, group.leaderId());
            out.writeLong(group.stateTimestamp());
            out.writeInt(group.members().size());
            for (StoredMember member : group.members()) {
                writeString(out, member.memberId());
                writeString(out, member.groupInstanceId());
                writeString(out, member.clientId());
                writeString(out, member.clientHost());
                out.writeInt(member.sessionTimeoutMs());
                out.writeInt(member.rebalanceTimeoutMs());
                writeBytes(out, member.subscription());
                writeBytes(out, member.assignment());
            }
            if (group.rebalancePending()) {
                out.writeByte(1);
            }
        });
    }

    static Key readKey(ByteBuffer key) {
        checkVersion(key.getShort());
        byte type = key.get();
        String groupId = readString(key);
        if (type == OFFSET_KEY) {
            return new Key(groupId, new TopicPartition(readString(key), key.getInt()));
        }
        if (type == GROUP_KEY) {
            return new Key(groupId, null);
        }
        throw new IllegalArgumentException("Unknown coordinator record type " + type);
    }

    static CommittedOffset readOffset(ByteBuffer value) {
        checkVersion(value.getShort());
        return new CommittedOffset(value.getLong(), value.getInt(), readString(value), value.getLong());
    }

    static StoredGroup readGroup(ByteBuffer value) {
        checkVersion(value.getShort());
        String protocolType = readString(value);
        int generation = value.getInt();
        String protocolName = readString(value);
        String leaderId = readString(value);
        long stateTimestamp = value.getLong();
        int count = value.getInt();
        List<StoredMember> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            members.add(new StoredMember(readString(value), readString(value), readString(value), readString(value),
                    value.getInt(), value.getInt(), readBytes(value), readBytes(value)));
        }
        boolean rebalancePending = value.hasRemaining() && value.get() == 1;
        return new StoredGroup(protocolType, generation, protocolName, leaderId, stateTimestamp, members, rebalancePending);
    }

    /** Whether a group metadata value holds a KIP-848 consumer group rather than a classic one. */
    static boolean isConsumerGroup(ByteBuffer value) {
        short format = value.getShort(value.position());
        return format == CONSUMER_GROUP_FORMAT || format == CONSUMER_GROUP_WITH_CLASSIC_MEMBERS_FORMAT;
    }

    /** Holds the group's lock. The whole consumer group: epochs, members, their assignments and the target. */
    static byte[] consumerGroupValue(ConsumerGroup group) {
        return write(out -> {
            out.writeShort(CONSUMER_GROUP_WITH_CLASSIC_MEMBERS_FORMAT);
            out.writeInt(group.groupEpoch);
            out.writeInt(group.assignmentEpoch);
            writeString(out, group.assignorName);
            out.writeLong(group.stateTimestamp);
            out.writeInt(group.subscriptionMetadata.partitionCounts().size());
            for (var topic : group.subscriptionMetadata.partitionCounts().entrySet()) {
                writeString(out, topic.getKey());
                out.writeInt(topic.getValue());
            }
            out.writeInt(group.members.size());
            for (ConsumerGroupMember member : group.members.values()) {
                writeString(out, member.memberId);
                writeString(out, member.instanceId);
                writeString(out, member.rackId);
                writeString(out, member.clientId);
                writeString(out, member.clientHost);
                out.writeInt(member.rebalanceTimeoutMs);
                out.writeInt(member.subscribedTopicNames.size());
                for (String topic : member.subscribedTopicNames) {
                    writeString(out, topic);
                }
                writeString(out, member.subscribedTopicRegex);
                writeString(out, member.serverAssignor);
                out.writeInt(member.memberEpoch);
                out.writeInt(member.previousMemberEpoch);
                out.writeByte(member.state.ordinal());
                writePartitions(out, member.assigned);
                writePartitions(out, member.pendingRevocation);
                writePartitions(out, group.targetAssignment.getOrDefault(member.memberId, java.util.Set.of()));
                writeClassicMetadata(out, member.classic);
            }
            // Last, so that a record written before racks counted reads as a digest of 0 (no racks).
            out.writeLong(group.subscriptionMetadata.racksDigest());
        });
    }

    /** Fills {@code group} (whose offsets stay) with the consumer group a value holds. */
    static void readConsumerGroup(ByteBuffer value, ConsumerGroup group) {
        short format = value.getShort();
        if (format != CONSUMER_GROUP_FORMAT && format != CONSUMER_GROUP_WITH_CLASSIC_MEMBERS_FORMAT) {
            throw new IllegalArgumentException("Not a consumer group record");
        }
        group.groupEpoch = value.getInt();
        group.assignmentEpoch = value.getInt();
        group.assignorName = readString(value);
        group.stateTimestamp = value.getLong();
        int topics = value.getInt();
        java.util.Map<String, Integer> metadata = new java.util.HashMap<>();
        for (int i = 0; i < topics; i++) {
            metadata.put(readString(value), value.getInt());
        }
        group.members.values().forEach(ConsumerGroupMember::cancelTimers);
        group.members.clear();
        group.staticMembers.clear();
        group.targetAssignment.clear();
        int count = value.getInt();
        for (int i = 0; i < count; i++) {
            ConsumerGroupMember member = new ConsumerGroupMember(readString(value));
            member.instanceId = readString(value);
            member.rackId = readString(value);
            member.clientId = readString(value);
            member.clientHost = readString(value);
            member.rebalanceTimeoutMs = value.getInt();
            int names = value.getInt();
            List<String> subscribed = new ArrayList<>(names);
            for (int n = 0; n < names; n++) {
                subscribed.add(readString(value));
            }
            member.subscribedTopicNames = List.copyOf(subscribed);
            member.subscribedTopicRegex = readString(value);
            member.serverAssignor = readString(value);
            member.memberEpoch = value.getInt();
            member.previousMemberEpoch = value.getInt();
            member.state = ConsumerGroupMember.MemberState.values()[value.get()];
            member.assigned = readPartitions(value);
            member.pendingRevocation = readPartitions(value);
            group.targetAssignment.put(member.memberId, readPartitions(value));
            if (format == CONSUMER_GROUP_WITH_CLASSIC_MEMBERS_FORMAT) {
                member.classic = readClassicMetadata(value);
            }
            group.add(member);
        }
        long racksDigest = value.remaining() >= Long.BYTES ? value.getLong() : 0;
        group.subscriptionMetadata = new ConsumerGroup.SubscriptionMetadata(metadata, racksDigest);
    }

    /** Whether a group metadata value holds a KIP-932 share group. */
    static boolean isShareGroup(ByteBuffer value) {
        return value.getShort(value.position()) == SHARE_GROUP_FORMAT;
    }

    /** Holds the group's lock. The whole share group: epochs, the subscribed topics, members and their assignments. */
    static byte[] shareGroupValue(ShareGroup group) {
        return write(out -> {
            out.writeShort(SHARE_GROUP_FORMAT);
            out.writeInt(group.groupEpoch);
            out.writeInt(group.assignmentEpoch);
            out.writeLong(group.stateTimestamp);
            out.writeInt(group.subscriptionMetadata.size());
            for (var topic : group.subscriptionMetadata.entrySet()) {
                writeString(out, topic.getKey());
                writeUuid(out, topic.getValue().id());
                out.writeInt(topic.getValue().partitions());
            }
            out.writeInt(group.members.size());
            for (ShareGroupMember member : group.members.values()) {
                writeString(out, member.memberId);
                out.writeInt(member.memberEpoch);
                out.writeInt(member.previousMemberEpoch);
                writeString(out, member.rackId);
                writeString(out, member.clientId);
                writeString(out, member.clientHost);
                out.writeInt(member.subscribedTopicNames.size());
                for (String topic : member.subscribedTopicNames) {
                    writeString(out, topic);
                }
                writeTopicIdPartitions(out, member.assigned);
                writeTopicIdPartitions(out, group.targetAssignment.getOrDefault(member.memberId, java.util.Map.of()));
            }
            // Trailing: records written before the group kept its state partitions end here.
            writeTopicIdPartitions(out, group.statePartitions);
        });
    }

    /** Fills {@code group} with the share group a value holds. */
    static void readShareGroup(ByteBuffer value, ShareGroup group) {
        if (value.getShort() != SHARE_GROUP_FORMAT) {
            throw new IllegalArgumentException("Not a share group record");
        }
        group.groupEpoch = value.getInt();
        group.assignmentEpoch = value.getInt();
        group.stateTimestamp = value.getLong();
        int topics = value.getInt();
        java.util.Map<String, ShareGroup.SubscribedTopic> metadata = new java.util.HashMap<>();
        for (int i = 0; i < topics; i++) {
            metadata.put(readString(value), new ShareGroup.SubscribedTopic(readUuid(value), value.getInt()));
        }
        group.subscriptionMetadata = java.util.Map.copyOf(metadata);
        group.members.values().forEach(ShareGroupMember::cancelTimers);
        group.members.clear();
        group.targetAssignment.clear();
        int count = value.getInt();
        for (int i = 0; i < count; i++) {
            ShareGroupMember member = new ShareGroupMember(readString(value));
            member.memberEpoch = value.getInt();
            member.previousMemberEpoch = value.getInt();
            member.rackId = readString(value);
            member.clientId = readString(value);
            member.clientHost = readString(value);
            int names = value.getInt();
            List<String> subscribed = new ArrayList<>(names);
            for (int n = 0; n < names; n++) {
                subscribed.add(readString(value));
            }
            member.subscribedTopicNames = List.copyOf(subscribed);
            member.assigned = readTopicIdPartitions(value);
            group.targetAssignment.put(member.memberId, readTopicIdPartitions(value));
            group.members.put(member.memberId, member);
        }
        group.statePartitions.clear();
        if (value.hasRemaining()) {
            group.addStatePartitions(readTopicIdPartitions(value));
        } else {
            group.addStatePartitions(ShareGroupManager.subscribedPartitionsById(group));
        }
    }

    private static void writeTopicIdPartitions(DataOutputStream out, java.util.Map<org.apache.kafka.common.Uuid,
            java.util.Set<Integer>> partitions) throws IOException {
        out.writeInt(partitions.size());
        for (var topic : partitions.entrySet()) {
            writeUuid(out, topic.getKey());
            out.writeInt(topic.getValue().size());
            for (int partition : new java.util.TreeSet<>(topic.getValue())) {
                out.writeInt(partition);
            }
        }
    }

    private static java.util.Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> readTopicIdPartitions(ByteBuffer value) {
        int topics = value.getInt();
        java.util.Map<org.apache.kafka.common.Uuid, java.util.Set<Integer>> partitions = new java.util.HashMap<>();
        for (int i = 0; i < topics; i++) {
            org.apache.kafka.common.Uuid id = readUuid(value);
            int count = value.getInt();
            java.util.Set<Integer> indexes = new java.util.HashSet<>();
            for (int p = 0; p < count; p++) {
                indexes.add(value.getInt());
            }
            partitions.put(id, java.util.Set.copyOf(indexes));
        }
        return java.util.Map.copyOf(partitions);
    }

    private static void writeUuid(DataOutputStream out, org.apache.kafka.common.Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static org.apache.kafka.common.Uuid readUuid(ByteBuffer value) {
        return new org.apache.kafka.common.Uuid(value.getLong(), value.getLong());
    }

    private static void writeClassicMetadata(DataOutputStream out, ConsumerGroupMember.ClassicMemberMetadata classic)
            throws IOException {
        if (classic == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(classic.sessionTimeoutMs());
        out.writeInt(classic.protocols().size());
        for (GroupMember.Protocol protocol : classic.protocols()) {
            writeString(out, protocol.name());
            writeBytes(out, protocol.metadata());
        }
    }

    private static ConsumerGroupMember.ClassicMemberMetadata readClassicMetadata(ByteBuffer value) {
        int sessionTimeoutMs = value.getInt();
        if (sessionTimeoutMs < 0) {
            return null;
        }
        int count = value.getInt();
        List<GroupMember.Protocol> protocols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            protocols.add(new GroupMember.Protocol(readString(value), readBytes(value)));
        }
        return new ConsumerGroupMember.ClassicMemberMetadata(sessionTimeoutMs, protocols);
    }

    private static void writePartitions(DataOutputStream out, java.util.Set<TopicPartition> partitions) throws IOException {
        java.util.Map<String, List<Integer>> byTopic = new java.util.TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        out.writeInt(byTopic.size());
        for (var topic : byTopic.entrySet()) {
            writeString(out, topic.getKey());
            out.writeInt(topic.getValue().size());
            for (int partition : topic.getValue()) {
                out.writeInt(partition);
            }
        }
    }

    private static java.util.Set<TopicPartition> readPartitions(ByteBuffer value) {
        int topics = value.getInt();
        java.util.Set<TopicPartition> partitions = new java.util.HashSet<>();
        for (int i = 0; i < topics; i++) {
            String topic = readString(value);
            int count = value.getInt();
            for (int p = 0; p < count; p++) {
                partitions.add(new TopicPartition(topic, value.getInt()));
            }
        }
        return java.util.Set.copyOf(partitions);
    }

    private static void checkVersion(short version) {
        if (version != VERSION) {
            throw new IllegalArgumentException("Unknown coordinator record version " + version);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length);
            out.write(value);
        }
    }

    private static String readString(ByteBuffer buffer) {
        byte[] bytes = readBytes(buffer);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
