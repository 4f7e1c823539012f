package io.tributary.broker.group;

/**
 * An offset a group committed for a partition.
 *
 * @param leaderEpoch the leader epoch of the record before the offset, or -1
 * @param metadata    the client's free-form string
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
}
