package io.tributary.broker.network;

import java.nio.channels.FileChannel;
import io.netty.channel.DefaultFileRegion;

/**
 * A region of a log segment's file, written to a socket with {@code sendfile}. Unlike Netty's
 * {@link DefaultFileRegion} it does not close the file when released: segment channels are shared
 * by every reader and owned by the log, which closes them (after {@code file.delete.delay.ms}) itself.
 *
 * <p>It extends {@code DefaultFileRegion} rather than implementing {@code FileRegion} because Netty's
 * epoll transport takes the native {@code sendfile} path only for {@code DefaultFileRegion}s.
 */
final class SegmentFileRegion extends DefaultFileRegion {

    SegmentFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The channel belongs to the segment, not to this write.
    }
}
