package io.tributary.broker.network;

import java.io.IOException;
import java.util.List;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * Turns log segment regions into buffers on a TLS connection: the bytes must pass through the
 * encryption in memory, so {@code sendfile} cannot carry them, as with Kafka over SSL. Plaintext
 * connections do not have this handler and keep zero-copy.
 */
final class FileRegionCopier extends MessageToMessageEncoder<SegmentFileRegion> {

    FileRegionCopier() {
        super(SegmentFileRegion.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, SegmentFileRegion region, List<Object> out) throws IOException {
        int count = Math.toIntExact(region.count());
        ByteBuf copy = ctx.alloc().directBuffer(count);
        try {
            SegmentFileRegion.readFully(region.file(), region.position(), copy.nioBuffer(0, count));
            copy.writerIndex(count);
            out.add(copy);
        } catch (IOException | RuntimeException e) {
            copy.release();
            throw e;
        }
    }
}
