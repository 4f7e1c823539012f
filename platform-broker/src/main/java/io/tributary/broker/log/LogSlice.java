package io.tributary.broker.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordsSend;

/**
 * Where a read's whole record batches lie: a region of a segment file, ready to be sent with
 * zero-copy ({@code sendfile}) by the network layer without passing through the heap.
 *
 * <p>{@code recordCount} is the number of records in the slice's batches, read from their headers.
 *
 * <p>As {@link BaseRecords} it can stand in a Fetch response's records field; the network layer
 * recognises it and sends the file region instead of copying it.
 *
 * <p>The channel stays open at least {@code file.delete.delay.ms} after retention removes its
 * segment, so a slice handed out just before can still be sent.
 */
public record LogSlice(FileChannel channel, long position, int sizeInBytes, int recordCount) implements BaseRecords {

    public static final LogSlice EMPTY = new LogSlice(null, 0, 0, 0);

    public boolean isEmpty() {
        return sizeInBytes == 0;
    }

    /**
     * What a batch's header says, with where the batch lies: for readers that decide about offsets
     * (share groups acquiring records) without bringing the records onto the heap.
     */
    public record BatchHeader(long position, int sizeInBytes, long baseOffset, long lastOffset, long producerId,
            boolean isTransactional, boolean isControl) {
    }

    // Where the v2 batch header's fields lie (Kafka's DefaultRecordBatch layout).
    private static final int LENGTH_OFFSET = 8;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LAST_OFFSET_DELTA_OFFSET = 23;
    private static final int PRODUCER_ID_OFFSET = 43;
    private static final short TRANSACTIONAL_FLAG = 0x10;
    private static final short CONTROL_FLAG = 0x20;

    /** The headers of the slice's batches, in order, read from the file without the records. */
    public List<BatchHeader> batchHeaders() {
        List<BatchHeader> headers = new ArrayList<>();
        ByteBuffer header = ByteBuffer.allocate(DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
        long at = position;
        long end = position + sizeInBytes;
        try {
            while (end - at >= DefaultRecordBatch.RECORD_BATCH_OVERHEAD) {
                header.clear();
                while (header.hasRemaining()) {
                    if (channel.read(header, at + header.position()) < 0) {
                        throw new IOException("Segment ended before the slice did");
                    }
                }
                int size = header.getInt(LENGTH_OFFSET) + LENGTH_OFFSET + Integer.BYTES;
                long baseOffset = header.getLong(0);
                short attributes = header.getShort(ATTRIBUTES_OFFSET);
                headers.add(new BatchHeader(at, size, baseOffset, baseOffset + header.getInt(LAST_OFFSET_DELTA_OFFSET),
                        header.getLong(PRODUCER_ID_OFFSET), (attributes & TRANSACTIONAL_FLAG) != 0,
                        (attributes & CONTROL_FLAG) != 0));
                at += size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return headers;
    }

    /**
     * The part of this slice from {@code first}'s batch through {@code last}'s (two of its batch headers);
     * its record count is not known (-1).
     */
    public LogSlice between(BatchHeader first, BatchHeader last) {
        long to = last.position() + last.sizeInBytes();
        return new LogSlice(channel, first.position(), Math.toIntExact(to - first.position()), -1);
    }

    /** A copying send, for code paths that do not know file regions. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        return toMemoryRecords().toSend();
    }

    /** Copies the slice onto the heap: for tests and for callers that must look inside the batches. */
    public MemoryRecords toMemoryRecords() {
        if (isEmpty()) {
            return MemoryRecords.EMPTY;
        }
        ByteBuffer buffer = ByteBuffer.allocate(sizeInBytes);
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException("Segment ended before the slice did");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return MemoryRecords.readableRecords(buffer.flip());
    }
}
