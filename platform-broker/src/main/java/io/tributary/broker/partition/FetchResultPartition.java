package io.tributary.broker.partition;

import io.tributary.broker.log.LogSlice;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a fetch found in one partition: an error, or batches (possibly none) with the partition's
 * offsets at the time of the read.
 */
public record FetchResultPartition(TopicPartition topicPartition, Errors error, LogSlice records, long highWatermark,
        long logStartOffset) {

    static FetchResultPartition error(TopicPartition topicPartition, Errors error, long highWatermark,
            long logStartOffset) {
        return new FetchResultPartition(topicPartition, error, LogSlice.EMPTY, highWatermark, logStartOffset);
    }
}
