package io.tributary.broker.partition;

import org.apache.kafka.common.TopicPartition;

/**
 * One partition of a fetch.
 *
 * @param currentLeaderEpoch the leader epoch the client knows, or -1 for no check
 */
public record FetchRequestPartition(TopicPartition topicPartition, long fetchOffset, int maxBytes,
        int currentLeaderEpoch) {
}
