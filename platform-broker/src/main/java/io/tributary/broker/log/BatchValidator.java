package io.tributary.broker.log;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteUtils;
import org.apache.kafka.common.utils.CloseableIterator;

/**
 * Checks record batches before they reach a segment: the same structural checks guard appends from
 * producers, appends of what a leader stored (which compaction may have thinned), and the scan of
 * a segment's tail during recovery. Stateless and thread-safe.
 */
final class BatchValidator {

    private BatchValidator() {
    }

    /**
     * Validates every batch a producer sent for one partition. Either all are valid, or the first
     * problem is thrown and the caller writes none of them.
     *
     * @return the batches' headers, in order
     */
    static List<BatchHeader> validateForAppend(ByteBuffer records, int maxBatchBytes) {
        if (!records.hasRemaining()) {
            throw new InvalidBatchException(InvalidBatchException.Reason.INVALID, "The append holds no record batch");
        }
        List<BatchHeader> headers = new ArrayList<>(1);
        int position = records.position();
        while (position < records.limit()) {
            BatchHeader header = checkBatch(records, position, records.limit() - position, maxBatchBytes);
            checkRecordCount(records, position, header);
            headers.add(header);
            position += header.sizeInBytes();
        }
        return headers;
    }

    /**
     * Checks the structure, format version, size and CRC of the batch at {@code position}, of which
     * at most {@code available} bytes are present.
     */
    static BatchHeader checkBatch(ByteBuffer buffer, int position, int available, int maxBatchBytes) {
        if (available < Records.LOG_OVERHEAD) {
            throw corrupt("Truncated batch: " + available + " bytes where a batch header needs " + BatchHeader.SIZE);
        }
        if (available > BatchHeader.MAGIC && buffer.limit() - position > BatchHeader.MAGIC) {
            byte magic = buffer.get(position + BatchHeader.MAGIC);
            if (magic != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidBatchException(InvalidBatchException.Reason.INVALID,
                        "Batch format version (magic) " + magic + " is not supported; only v2 is stored");
            }
        }
        int length = buffer.getInt(position + BatchHeader.LENGTH);
        if (length < BatchHeader.MIN_LENGTH) {
            throw corrupt("Batch length " + length + " is smaller than a batch header");
        }
        if (available < BatchHeader.SIZE || length > available - Records.LOG_OVERHEAD) {
            throw corrupt("Truncated batch: its length says " + (length + Records.LOG_OVERHEAD)
                    + " bytes but only " + available + " are present");
        }
        BatchHeader header = BatchHeader.read(buffer, position);
        if (header.sizeInBytes() > maxBatchBytes) {
            throw new InvalidBatchException(InvalidBatchException.Reason.TOO_LARGE, "Batch of "
                    + header.sizeInBytes() + " bytes is larger than max.message.bytes (" + maxBatchBytes + ")");
        }
        MutableRecordBatch batch = batchAt(buffer, position, header.sizeInBytes());
        if (!batch.isValid()) {
            throw corrupt("Batch CRC mismatch: stored " + batch.checksum() + ", computed over "
                    + header.sizeInBytes() + " bytes differs");
        }
        if (header.lastOffsetDelta() < 0) {
            throw invalid("Batch has a negative last offset delta " + header.lastOffsetDelta());
        }
        return header;
    }

    /**
     * Validates the batches a follower fetched from its leader: stored batches, which the leader's
     * cleaner may have compacted (see {@link Cleaner}). A cleaned batch keeps its base offset and last
     * offset delta but holds fewer records, or none, and whole batches may be gone between two that
     * remain. So, as Kafka's follower does, this checks each batch's structure, format version and CRC,
     * and that offsets only go up: within a batch its records' offsets ascend inside
     * [baseOffset, baseOffset + lastOffsetDelta], and each batch starts past the previous one's last
     * offset. Where the log must continue is the caller's check. There is no size limit: the leader's
     * own limit admitted these batches, and a follower must not refuse what it must hold.
     *
     * @return the batches' headers, in order
     */
    static List<BatchHeader> validateReplicated(ByteBuffer records) {
        List<BatchHeader> headers = new ArrayList<>();
        int position = records.position();
        BatchHeader previous = null;
        while (position < records.limit()) {
            BatchHeader header = checkBatch(records, position, records.limit() - position, Integer.MAX_VALUE);
            if (previous != null && header.baseOffset() <= previous.lastOffset()) {
                throw invalid("A replicated batch at offset " + header.baseOffset() + " overlaps the one before it, "
                        + previous.baseOffset() + ".." + previous.lastOffset());
            }
            checkStoredRecords(records, position, header);
            headers.add(header);
            previous = header;
            position += header.sizeInBytes();
        }
        return headers;
    }

    /** A producer's batch numbers its records 0..n-1: the count, the offset delta and the bytes must agree. */
    private static void checkRecordCount(ByteBuffer buffer, int position, BatchHeader header) {
        int count = header.recordCount();
        if (count <= 0) {
            throw invalid("Batch holds " + count + " records");
        }
        if (header.lastOffsetDelta() != count - 1) {
            throw invalid("Batch of " + count + " records has last offset delta " + header.lastOffsetDelta());
        }
        if (!compressed(buffer, position)) {
            walkRecords(buffer, position, header, false);
        }
    }

    /**
     * A stored batch may hold fewer records than its offsets span, down to none (compaction), but no
     * more; its records' offset deltas ascend within the batch. Compressed records are left to the CRC,
     * as for producers.
     */
    private static void checkStoredRecords(ByteBuffer buffer, int position, BatchHeader header) {
        int count = header.recordCount();
        if (count < 0) {
            throw invalid("Batch holds " + count + " records");
        }
        if ((long) count - 1 > header.lastOffsetDelta()) {
            throw invalid("Batch of " + count + " records has last offset delta " + header.lastOffsetDelta());
        }
        if (!compressed(buffer, position)) {
            walkRecords(buffer, position, header, true);
        }
    }

    private static boolean compressed(ByteBuffer buffer, int position) {
        short attributes = buffer.getShort(position + BatchHeader.ATTRIBUTES);
        return CompressionType.forId(attributes & 0x07) != CompressionType.NONE;
    }

    /**
     * Walks the uncompressed records of a batch: exactly {@code header.recordCount()} of them must
     * fill its bytes and, when {@code checkOffsets}, their offset deltas ascend from 0 to at most the
     * last offset delta.
     */
    private static void walkRecords(ByteBuffer buffer, int position, BatchHeader header, boolean checkOffsets) {
        int count = header.recordCount();
        ByteBuffer records = buffer.duplicate();
        records.position(position + BatchHeader.SIZE).limit(position + header.sizeInBytes());
        int previousDelta = -1;
        for (int i = 0; i < count; i++) {
            if (!records.hasRemaining()) {
                throw invalid("Batch claims " + count + " records but its bytes end after " + i);
            }
            int recordLength;
            try {
                recordLength = ByteUtils.readVarint(records);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw invalid("Record " + i + " of the batch has a malformed length");
            }
            if (recordLength < 0 || recordLength > records.remaining()) {
                throw invalid("Record " + i + " of the batch claims " + recordLength + " bytes; "
                        + records.remaining() + " remain");
            }
            int recordEnd = records.position() + recordLength;
            if (checkOffsets) {
                int delta = offsetDelta(records, recordEnd, i);
                if (delta <= previousDelta || delta > header.lastOffsetDelta()) {
                    throw invalid("Record " + i + " of the batch has offset delta " + delta + " after "
                            + previousDelta + "; the batch's last offset delta is " + header.lastOffsetDelta());
                }
                previousDelta = delta;
            }
            records.position(recordEnd);
        }
        if (records.hasRemaining()) {
            throw invalid("Batch claims " + count + " records but " + records.remaining() + " bytes follow them");
        }
    }

    /** The offset delta of the record whose body starts at the buffer's position: after its attributes and timestamp delta. */
    private static int offsetDelta(ByteBuffer records, int recordEnd, int index) {
        ByteBuffer body = records.duplicate();
        body.limit(recordEnd);
        try {
            body.get(); // attributes
            ByteUtils.readVarlong(body); // timestamp delta
            return ByteUtils.readVarint(body);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException e) {
            throw invalid("Record " + index + " of the batch has a malformed offset delta");
        }
    }

    /**
     * Refuses an append to a compacted topic that holds a record without a key: compaction keeps the
     * latest record per key, so a keyless one could never be cleaned. Compressed batches are
     * decompressed to see their records' keys. Expects batches that {@link #validateForAppend} accepted.
     */
    static void requireKeys(ByteBuffer records, List<BatchHeader> headers, TopicPartition topicPartition) {
        int position = records.position();
        for (BatchHeader header : headers) {
            MutableRecordBatch batch = batchAt(records, position, header.sizeInBytes());
            position += header.sizeInBytes();
            if (batch.isControlBatch()) {
                continue;
            }
            try (CloseableIterator<Record> iterator = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                while (iterator.hasNext()) {
                    if (!iterator.next().hasKey()) {
                        throw invalid("Compacted topic cannot accept message without key in topic partition "
                                + topicPartition + ".");
                    }
                }
            } catch (KafkaException e) {
                throw corrupt("The records of a batch cannot be decoded: " + e.getMessage());
            }
        }
    }

    static MutableRecordBatch batchAt(ByteBuffer buffer, int position, int size) {
        ByteBuffer slice = buffer.duplicate();
        slice.position(position).limit(position + size);
        return MemoryRecords.readableRecords(slice.slice()).batchIterator().next();
    }

    private static InvalidBatchException corrupt(String message) {
        return new InvalidBatchException(InvalidBatchException.Reason.CORRUPT, message);
    }

    private static InvalidBatchException invalid(String message) {
        return new InvalidBatchException(InvalidBatchException.Reason.INVALID, message);
    }
}
