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

    private final FileChannel file;

    SegmentFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
        this.file = channel;
    }

    /** The segment's file, for a connection that must copy the bytes (TLS encrypts them in memory). */
    FileChannel file() {
        return file;
    }

    @Override
    protected void deallocate() {
        // The channel belongs to the segment, not to this write.
    }
}
