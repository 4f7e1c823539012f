package io.tributary.broker.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.requests.ResponseHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.log.LogSlice;

/**
 * Serializes a response (size prefix, header, body) with kafka-clients' generated message code, into
 * the messages Netty should write in order: {@link ByteBuf}s for the bytes built on the heap or in
 * pooled memory, and a {@link SegmentFileRegion} wherever a records field is a {@link LogSlice}, so
 * that fetched records go from the page cache to the socket without being copied
 * ({@code sendfile}). {@code MemoryRecords} are copied like any other bytes.
 *
 * <p>This is kafka-clients' {@link Writable} over Netty buffers. An instance serves one response and
 * one thread; {@link #encode} is thread-safe and may run on any thread.
 */
final class ResponseWriter implements Writable {

    private static final int MIN_BUFFER_BYTES = 64;

    private final ByteBufAllocator allocator;
    private final List<Object> parts = new ArrayList<>(3);
    /** Bytes of the response expected to be copied into buffers: all but the records fields'. */
    private final int expectedCopiedBytes;
    /** Bytes in buffers already cut. */
    private int copiedBytes;
    private ByteBuf current;
    /** Bytes in buffers already cut and in file regions. */
    private long bytesWritten;

    ResponseWriter(ByteBufAllocator allocator, int expectedCopiedBytes) {
        this.allocator = allocator;
        this.expectedCopiedBytes = expectedCopiedBytes;
    }

    /**
     * The messages to write, in order, for one response; the caller owns them (write them, or
     * release each with {@link ReferenceCountUtil#release}).
     *
     * @param version the version of the request being answered, which the body is serialized at
     */
    static List<Object> encode(ByteBufAllocator allocator, ResponseHeader header, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = header.headerVersion();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.data().addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        int frameSize = size.totalSize();

        ResponseWriter writer = new ResponseWriter(allocator, KafkaFrameDecoder.SIZE_PREFIX_BYTES + size.sizeExcludingZeroCopy());
        try {
            writer.writeInt(frameSize);
            header.data().write(writer, cache, headerVersion);
            body.write(writer, cache, version);
            List<Object> parts = writer.finish();
            if (writer.bytesWritten != KafkaFrameDecoder.SIZE_PREFIX_BYTES + (long) frameSize) {
                throw new IllegalStateException(body.getClass().getSimpleName() + " v" + version + " announced "
                        + frameSize + " bytes but wrote " + (writer.bytesWritten - KafkaFrameDecoder.SIZE_PREFIX_BYTES));
            }
            return parts;
        } catch (RuntimeException e) {
            writer.releaseAll();
            throw e;
        }
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof LogSlice slice) {
            if (slice.isEmpty()) {
                return;
            }
            if (SegmentFileRegion.canSendFile(slice.channel())) {
                cut();
                parts.add(new SegmentFileRegion(slice.channel(), slice.position(), slice.sizeInBytes()));
                bytesWritten += slice.sizeInBytes();
            } else {
                copy(slice);
            }
        } else {
            // MemoryRecords: copied. Their size was counted as zero-copy, so the buffer grows for them.
            Writable.super.writeRecords(records);
        }
    }

    private void copy(LogSlice slice) {
        int size = slice.sizeInBytes();
        ByteBuf target = buffer(size);
        target.ensureWritable(size);
        try {
            ByteBuffer into = target.nioBuffer(target.writerIndex(), size);
            SegmentFileRegion.readFully(slice.channel(), slice.position(), into);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        target.writerIndex(target.writerIndex() + size);
    }

    @Override
    public void writeByte(byte val) {
        buffer(1).writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        buffer(2).writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        buffer(4).writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        buffer(8).writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        buffer(8).writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        buffer(arr.length).writeBytes(arr);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        // A duplicate: the caller's buffer (a message field) keeps its position.
        buffer(buf.remaining()).writeBytes(buf.duplicate());
    }

    @Override
    public void writeUnsignedVarint(int value) {
        ByteBuf buffer = buffer(5);
        while ((value & 0xffffff80) != 0) {
            buffer.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        buffer.writeByte(value);
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        ByteBuf buffer = buffer(10);
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & 0xffffffffffffff80L) != 0L) {
            buffer.writeByte((int) ((zigZag & 0x7f) | 0x80));
            zigZag >>>= 7;
        }
        buffer.writeByte((int) zigZag);
    }

    /**
     * The buffer to append to. It is sized for the rest of the response's copied bytes, and grows if
     * {@code MemoryRecords} (counted as zero-copy by the generated size code) come on top.
     */
    private ByteBuf buffer(int bytes) {
        if (current == null) {
            current = allocator.buffer(Math.max(Math.max(MIN_BUFFER_BYTES, bytes), expectedCopiedBytes - copiedBytes));
        }
        return current;
    }

    /** Ends the current buffer so that a file region can follow it. */
    private void cut() {
        if (current != null) {
            copiedBytes += current.readableBytes();
            bytesWritten += current.readableBytes();
            parts.add(current);
            current = null;
        }
    }

    /** The messages written so far; the writer is not to be used afterwards. */
    List<Object> finish() {
        cut();
        return parts;
    }

    private void releaseAll() {
        if (current != null) {
            current.release();
            current = null;
        }
        parts.forEach(ReferenceCountUtil::release);
        parts.clear();
    }
}
