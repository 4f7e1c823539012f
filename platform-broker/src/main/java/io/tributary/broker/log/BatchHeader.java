package io.tributary.broker.log;

import java.nio.ByteBuffer;
import org.apache.kafka.common.record.Records;

/**
 * The fixed-size header of a v2 record batch, as far as the log needs it to find its way through a
 * segment without decoding records.
 *
 * @param baseOffset  the offset of the batch's first record
 * @param lastOffset  the offset of its last record (base offset plus the last offset delta)
 * @param sizeInBytes the whole batch, including the 12-byte offset and length prefix
 * @param maxTimestamp the largest timestamp of its records
 * @param recordCount the records the batch holds (fewer than its offsets span once compacted)
 */
record BatchHeader(long baseOffset, long lastOffset, int sizeInBytes, long maxTimestamp, int recordCount) {

    // Field positions of the v2 batch header (DefaultRecordBatch keeps most of them package-private).
    static final int BASE_OFFSET = 0;
    static final int LENGTH = 8;
    static final int PARTITION_LEADER_EPOCH = 12;
    static final int MAGIC = 16;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORDS_COUNT = 57;
    /** Attribute bits of a batch in a transaction, and of a control batch (a transaction marker). */
    static final short TRANSACTIONAL_FLAG = 0x10;
    static final short CONTROL_FLAG = 0x20;
    /** The header's size: everything before the first record. */
    static final int SIZE = 61;

    /** The smallest value the length field of a well-formed v2 batch can hold. */
    static final int MIN_LENGTH = SIZE - Records.LOG_OVERHEAD;

    /**
     * Reads the header of the batch starting at {@code position}; the buffer must hold at least
     * {@link #SIZE} bytes from there. The header's values are not validated.
     */
    static BatchHeader read(ByteBuffer buffer, int position) {
        long baseOffset = buffer.getLong(position + BASE_OFFSET);
        int length = buffer.getInt(position + LENGTH);
        return new BatchHeader(baseOffset, baseOffset + buffer.getInt(position + LAST_OFFSET_DELTA),
                Records.LOG_OVERHEAD + length, buffer.getLong(position + MAX_TIMESTAMP),
                buffer.getInt(position + RECORDS_COUNT));
    }

    int lastOffsetDelta() {
        return (int) (lastOffset - baseOffset);
    }
}
