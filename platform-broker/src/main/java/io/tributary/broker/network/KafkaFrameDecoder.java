package io.tributary.broker.network;

import java.util.List;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Cuts the inbound byte stream into Kafka request frames: a 4-byte big-endian size, then that many
 * bytes. Each frame goes on as exactly its own slice of the input (without the size prefix), so a
 * parser reading it cannot run into the next request.
 *
 * <p>The announced size is checked against the maximum as soon as its 4 bytes are in, before any of
 * the body is awaited: a frame that is negative or too large fails with
 * {@link FrameOversizedException}, and everything after it on the connection is discarded. Memory
 * held for a frame therefore only ever grows with bytes actually received, never with a claimed
 * length.
 *
 * <p>One instance per connection, used on its event loop only.
 */
final class KafkaFrameDecoder extends ByteToMessageDecoder {

    static final int SIZE_PREFIX_BYTES = 4;

    private int maxFrameBytes;
    private String limitName = "socket.request.max.bytes";
    /** Set once a bad size was seen: the stream can no longer be framed. */
    private boolean failed;

    KafkaFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Changes the largest frame accepted from now on: a SASL connection starts small and gets the
     * listener's full limit once it has authenticated. On the event loop only.
     */
    void maxFrameBytes(int maxFrameBytes, String limitName) {
        this.maxFrameBytes = maxFrameBytes;
        this.limitName = limitName;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_PREFIX_BYTES) {
            return;
        }
        int frameSize = in.getInt(in.readerIndex());
        if (frameSize < 0 || frameSize > maxFrameBytes) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw new FrameOversizedException(frameSize, maxFrameBytes, limitName + likelyCause(frameSize));
        }
        if (in.readableBytes() - SIZE_PREFIX_BYTES < frameSize) {
            return;
        }
        in.skipBytes(SIZE_PREFIX_BYTES);
        out.add(in.readRetainedSlice(frameSize));
    }

    /**
     * What a wrong client usually sends first, told apart by the bytes read as a size: a TLS
     * handshake record (0x16 0x03) on a listener without TLS, or an HTTP request.
     */
    private static String likelyCause(int frameSize) {
        if ((frameSize >>> 24) == 0x16 && ((frameSize >>> 16) & 0xff) == 0x03) {
            return "; it looks like a TLS handshake, and this listener does not use TLS";
        }
        int first = frameSize >>> 24;
        if (first == 'G' || first == 'P' || first == 'H' || first == 'D') {
            String start = new String(new byte[] {(byte) (frameSize >>> 24), (byte) (frameSize >>> 16), (byte) (frameSize >>> 8),
                    (byte) frameSize}, java.nio.charset.StandardCharsets.US_ASCII);
            if (start.equals("GET ") || start.equals("POST") || start.equals("PUT ") || start.equals("HEAD") || start.equals("DELE")) {
                return "; it looks like an HTTP request, sent to the Kafka port";
            }
        }
        return "";
    }
}
