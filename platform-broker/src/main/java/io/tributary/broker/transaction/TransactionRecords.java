package io.tributary.broker.transaction;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * The records of {@code __transaction_state}, in Tributary's own versioned binary format: the key is a
 * transactional id, the value its latest {@link TransactionSnapshot}, and a tombstone (null value)
 * forgets an expired id, so that compaction keeps exactly the live state.
 *
 * <pre>
 * key:   version:int16 (0), transactionalId:string
 * value: version:int16 (0), producerId:int64, lastProducerId:int64, producerEpoch:int16,
 *        lastProducerEpoch:int16, timeoutMs:int32, state:int8, partitionCount:int32,
 *        [topic:string, partition:int32]…, startTimestamp:int64, lastUpdateTimestamp:int64
 * string: length:int16, UTF-8 bytes
 * </pre>
 * A reader refuses versions it does not know rather than guessing.
 */
final class TransactionRecords {

    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 0;

    private TransactionRecords() {
    }

    static SimpleRecord record(String transactionalId, TransactionSnapshot snapshot, long now) {
        return new SimpleRecord(now, key(transactionalId), snapshot == null ? null : value(snapshot));
    }

    static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + id.length);
        buffer.putShort(KEY_VERSION);
        putString(buffer, id);
        return buffer.array();
    }

    static String readKey(ByteBuffer key) {
        ByteBuffer buffer = key.duplicate();
        short version = buffer.getShort();
        if (version != KEY_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state key version " + version);
        }
        return getString(buffer);
    }

    static byte[] value(TransactionSnapshot snapshot) {
        List<byte[]> topics = new ArrayList<>();
        int size = 2 + 8 + 8 + 2 + 2 + 4 + 1 + 4 + 8 + 8;
        for (TopicPartition tp : snapshot.partitions()) {
            byte[] topic = tp.topic().getBytes(StandardCharsets.UTF_8);
            topics.add(topic);
            size += 2 + topic.length + 4;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VALUE_VERSION);
        buffer.putLong(snapshot.producerId());
        buffer.putLong(snapshot.lastProducerId());
        buffer.putShort(snapshot.producerEpoch());
        buffer.putShort(snapshot.lastProducerEpoch());
        buffer.putInt(snapshot.timeoutMs());
        buffer.put(snapshot.state().id());
        buffer.putInt(snapshot.partitions().size());
        int i = 0;
        for (TopicPartition tp : snapshot.partitions()) {
            putString(buffer, topics.get(i++));
            buffer.putInt(tp.partition());
        }
        buffer.putLong(snapshot.startTimestamp());
        buffer.putLong(snapshot.lastUpdateTimestamp());
        return buffer.array();
    }

    static TransactionSnapshot readValue(ByteBuffer value) {
        ByteBuffer buffer = value.duplicate();
        short version = buffer.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("Unknown __transaction_state value version " + version);
        }
        long producerId = buffer.getLong();
        long lastProducerId = buffer.getLong();
        short epoch = buffer.getShort();
        short lastEpoch = buffer.getShort();
        int timeoutMs = buffer.getInt();
        TransactionState state = TransactionState.fromId(buffer.get());
        int count = buffer.getInt();
        List<TopicPartition> partitions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            partitions.add(new TopicPartition(getString(buffer), buffer.getInt()));
        }
        return new TransactionSnapshot(producerId, lastProducerId, epoch, lastEpoch, timeoutMs, state,
                java.util.Set.copyOf(partitions), buffer.getLong(), buffer.getLong());
    }

    private static void putString(ByteBuffer buffer, byte[] bytes) {
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("A name of " + bytes.length + " bytes is too long to store");
        }
        buffer.putShort((short) bytes.length);
        buffer.put(bytes);
    }

    private static String getString(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getShort()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
