package io.tributary.broker.network;

import java.io.IOException;
import java.nio.ByteBuffer;
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

    /**
     * Whether {@code sendfile} can carry bytes of {@code channel}. Netty's native transport reads the file
     * descriptor out of the JDK's own file channel; a channel of another class (one a test put under the log
     * through its {@code FileChannelFactory}) would crash the JVM there, so its bytes are copied instead.
     */
    static boolean canSendFile(FileChannel channel) {
        return channel.getClass().getName().equals("sun.nio.ch.FileChannelImpl");
    }

    /** Reads {@code target.remaining()} bytes of {@code file} from {@code position} into {@code target}. */
    static void readFully(FileChannel file, long position, ByteBuffer target) throws IOException {
        long next = position;
        while (target.hasRemaining()) {
            int read = file.read(target, next);
            if (read < 0) {
                throw new IOException("A log segment ended " + target.remaining() + " bytes before the region sent from it");
            }
            next += read;
        }
    }

    @Override
    protected void deallocate() {
        // The channel belongs to the segment, not to this write.
    }
}
