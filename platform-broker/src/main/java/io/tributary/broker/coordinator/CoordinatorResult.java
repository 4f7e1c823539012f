package io.tributary.broker.coordinator;

import java.util.List;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;

/**
 * What a coordinator operation produces (Kafka's {@code CoordinatorResult}): the records to append to
 * the coordinator's partition, and the response to answer once the in-sync replicas hold them.
 *
 * @param records       the records to append, in order; none for an operation that changes nothing durable
 * @param response      what the caller is answered with once the records are held
 * @param replayRecords whether the records are replayed into the shard once held; false where the
 *                      shard's memory already holds the change and the records only serve a later
 *                      load (a classic group's metadata, written from its in-memory rebalance state)
 * @param producer      the transaction the records belong to, or null: a transactional write's records
 *                      are appended as a batch of that producer and take effect only with its commit
 *                      marker (a TxnOffsetCommit's offsets)
 * @param <T> the response's type
 */
public record CoordinatorResult<T>(List<SimpleRecord> records, T response, boolean replayRecords,
        TransactionalProducer producer) {

    /** The producer id and epoch of a transaction that writes to a coordinator's partition. */
    public record TransactionalProducer(long producerId, short producerEpoch) {

        public TransactionalProducer {
            if (producerId == RecordBatch.NO_PRODUCER_ID) {
                throw new IllegalArgumentException("A transactional write needs a producer id");
            }
        }
    }

    public CoordinatorResult {
        records = List.copyOf(records);
    }

    public CoordinatorResult(List<SimpleRecord> records, T response, boolean replayRecords) {
        this(records, response, replayRecords, null);
    }

    /** Records replayed once held, then the response. */
    public static <T> CoordinatorResult<T> of(List<SimpleRecord> records, T response) {
        return new CoordinatorResult<>(records, response, true);
    }

    /** Records of a transaction, replayed as pending once held; its marker commits or aborts them. */
    public static <T> CoordinatorResult<T> transactional(TransactionalProducer producer, List<SimpleRecord> records,
            T response) {
        return new CoordinatorResult<>(records, response, true, producer);
    }

    /** No records: the response is answered at once. */
    public static <T> CoordinatorResult<T> answer(T response) {
        return new CoordinatorResult<>(List.of(), response, true);
    }

    public boolean isTransactional() {
        return producer != null;
    }
}
