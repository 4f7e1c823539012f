package io.tributary.broker.partition;

import java.util.List;
import io.tributary.broker.log.AbortedTxn;
import io.tributary.broker.log.LogSlice;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * What a fetch found in one partition: an error, or batches (possibly none) with the partition's
 * offsets at the time of the read.
 *
 * @param abortedTransactions for a read_committed fetch, the aborted transactions with data in the
 *                            batches read; null for read_uncommitted and replica fetches
 */
public record FetchResultPartition(TopicPartition topicPartition, Errors error, LogSlice records, long highWatermark,
        long logStartOffset, long lastStableOffset, List<AbortedTxn> abortedTransactions) {

    /** A read outside read_committed, whose last stable offset is not known. */
    public FetchResultPartition(TopicPartition topicPartition, Errors error, LogSlice records, long highWatermark,
            long logStartOffset) {
        this(topicPartition, error, records, highWatermark, logStartOffset, highWatermark, null);
    }

    static FetchResultPartition error(TopicPartition topicPartition, Errors error, long highWatermark,
            long logStartOffset) {
        return new FetchResultPartition(topicPartition, error, LogSlice.EMPTY, highWatermark, logStartOffset);
    }
}
