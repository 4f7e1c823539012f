package io.tributary.broker.share.coordinator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * The records of {@code __share_group_state}, in Tributary's own versioned binary format: the key is a
 * share-partition, the value its whole state as its leader last wrote it (a write replaces it, so
 * compaction keeps exactly the live state), and a tombstone (null value) deletes it.
 *
 * <pre>
 * key:   version:int16 (0), groupId:string, topicId:uuid (two int64), partition:int32
 * value: version:int16 (0), stateEpoch:int32, leaderEpoch:int32, startOffset:int64, batchCount:int32,
 *        [firstOffset:int64, lastOffset:int64, deliveryState:int8, deliveryCount:int16]…
 * string: length:int16, UTF-8 bytes
 * </pre>
 * A reader refuses versions it does not know rather than guessing.
 */
final class ShareStateRecords {

    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 0;
    private static final int BATCH_BYTES = 8 + 8 + 1 + 2;

    private ShareStateRecords() {
    }

    /** The record that stores {@code state}, or deletes the key when it is null. */
    static SimpleRecord record(SharePartitionKey key, SharePartitionState state, long now) {
        return new SimpleRecord(now, key(key), state == null ? null : value(state));
    }

    static byte[] key(SharePartitionKey key) {
        byte[] group = key.groupId().getBytes(StandardCharsets.UTF_8);
        if (group.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("A group id of " + group.length + " bytes is too long to store");
        }
        ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + group.length + 16 + 4);
        buffer.putShort(KEY_VERSION);
        buffer.putShort((short) group.length);
        buffer.put(group);
        buffer.putLong(key.topicId().getMostSignificantBits());
        buffer.putLong(key.topicId().getLeastSignificantBits());
        buffer.putInt(key.partition());
        return buffer.array();
    }

    static SharePartitionKey readKey(ByteBuffer key) {
        ByteBuffer buffer = key.duplicate();
        short version = buffer.getShort();
        if (version != KEY_VERSION) {
            throw new IllegalArgumentException("Unknown __share_group_state key version " + version);
        }
        byte[] group = new byte[buffer.getShort()];
        buffer.get(group);
        Uuid topicId = new Uuid(buffer.getLong(), buffer.getLong());
        return new SharePartitionKey(new String(group, StandardCharsets.UTF_8), topicId, buffer.getInt());
    }

    static byte[] value(SharePartitionState state) {
        ByteBuffer buffer = ByteBuffer.allocate(2 + 4 + 4 + 8 + 4 + state.batches().size() * BATCH_BYTES);
        buffer.putShort(VALUE_VERSION);
        buffer.putInt(state.stateEpoch());
        buffer.putInt(state.leaderEpoch());
        buffer.putLong(state.startOffset());
        buffer.putInt(state.batches().size());
        for (ShareStateBatch batch : state.batches()) {
            buffer.putLong(batch.firstOffset());
            buffer.putLong(batch.lastOffset());
            buffer.put(batch.deliveryState());
            buffer.putShort(batch.deliveryCount());
        }
        return buffer.array();
    }

    static SharePartitionState readValue(ByteBuffer value) {
        ByteBuffer buffer = value.duplicate();
        short version = buffer.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("Unknown __share_group_state value version " + version);
        }
        int stateEpoch = buffer.getInt();
        int leaderEpoch = buffer.getInt();
        long startOffset = buffer.getLong();
        int count = buffer.getInt();
        if (count < 0 || count > buffer.remaining() / BATCH_BYTES) {
            throw new IllegalArgumentException("A __share_group_state value claims " + count + " batches");
        }
        List<ShareStateBatch> batches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batches.add(new ShareStateBatch(buffer.getLong(), buffer.getLong(), buffer.get(), buffer.getShort()));
        }
        return new SharePartitionState(stateEpoch, leaderEpoch, startOffset, batches);
    }
}
