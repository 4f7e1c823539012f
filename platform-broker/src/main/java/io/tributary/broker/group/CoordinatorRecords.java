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
 */
final class CoordinatorRecords {

    private static final short VERSION = 0;
    private static final byte OFFSET_KEY = 1;
    private static final byte GROUP_KEY = 2;

    private CoordinatorRecords() {
    }

    /** A member as stored in the group's metadata record. */
    record StoredMember(String memberId, String groupInstanceId, String clientId, String clientHost,
            int sessionTimeoutMs, int rebalanceTimeoutMs, byte[] subscription, byte[] assignment) {
    }

    /** A group's metadata as stored: enough to answer DescribeGroups and to keep members after a restart. */
    record StoredGroup(String protocolType, int generationId, String protocolName, String leaderId, long stateTimestamp,
            List<StoredMember> members) {
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
        return new StoredGroup(protocolType, generation, protocolName, leaderId, stateTimestamp, members);
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
