package io.tributary.client.actuate;

/** How far one partition's committed offset of a group is behind the partition's end. */
public record ConsumerLag(String group, String topic, int partition, long committedOffset, long endOffset) {

    public long lag() {
        return Math.max(0, endOffset - committedOffset);
    }
}
