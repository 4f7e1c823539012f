package io.tributary.broker.log;

/** A record's timestamp and offset, as a search by time answers (ListOffsets). */
public record TimestampOffset(long timestamp, long offset) {
}
