package io.tributary.broker.log;

/**
 * A transaction that was aborted, as Kafka's transaction index records it: its data lies in
 * {@code firstOffset..lastOffset} (the last being its ABORT marker), and {@code lastStableOffset}
 * was the partition's last stable offset once the marker was written.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
}
