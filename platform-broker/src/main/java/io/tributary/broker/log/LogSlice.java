package io.tributary.broker.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
