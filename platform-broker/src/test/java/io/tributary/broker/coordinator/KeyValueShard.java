package io.tributary.broker.coordinator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.record.SimpleRecord;

/** The smallest shard: a map of strings, changed only by replay; it remembers what it replayed and its lifecycle. */
final class KeyValueShard implements CoordinatorShard {

    final int partition;
    final CoordinatorWriter writer;
    final Map<String, String> state = new ConcurrentHashMap<>();
    final List<Long> replayed = new CopyOnWriteArrayList<>();
    volatile boolean loaded;
    volatile boolean unloaded;

    KeyValueShard(int partition, CoordinatorWriter writer) {
        this.partition = partition;
        this.writer = writer;
    }

    /** An operation: set {@code key} to {@code value} (null deletes it), answering "done". */
    static CoordinatorResult<String> put(String key, String value) {
        return CoordinatorResult.of(List.of(record(key, value)), "done");
    }

    static SimpleRecord record(String key, String value) {
        return new SimpleRecord(0L, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void replay(ByteBuffer key, ByteBuffer value, long offset) {
        String k = StandardCharsets.UTF_8.decode(key.duplicate()).toString();
        if (value == null) {
            state.remove(k);
        } else {
            state.put(k, StandardCharsets.UTF_8.decode(value.duplicate()).toString());
        }
        replayed.add(offset);
    }

    @Override
    public void onLoaded() {
        loaded = true;
    }

    @Override
    public void onUnloaded() {
        unloaded = true;
    }
}
