package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.BooleanSupplier;

/**
 * A segment file on a disk that fails writes while {@code failing} says so, for {@link FileChannelFactory}: a
 * write puts part of its bytes down, then throws with the kernel's message, as write(2) does on a full file system
 * ({@link #ENOSPC}) or a dying one ({@link #EIO}); on a dying one a flush fails too. Reads and memory mappings go
 * to the real file.
 */
public final class FailingWritesChannel extends FileChannel {

    /** A full file system: writes fail, flushes of what was written succeed. */
    public static final Failure ENOSPC = new Failure("No space left on device", false);
    /** A failing device: writes and flushes fail. */
    public static final Failure EIO = new Failure("Input/output error", true);

    /** What the kernel answers, and whether fsync(2) fails as well. */
    public record Failure(String message, boolean flushesFail) {
    }

    private final FileChannel delegate;
    private final BooleanSupplier failing;
    private final Failure failure;

    public FailingWritesChannel(FileChannel delegate, BooleanSupplier failing, Failure failure) {
        this.delegate = delegate;
        this.failing = failing;
        this.failure = failure;
    }

    private int failAfterPartialWrite(ByteBuffer src, long position) throws IOException {
        ByteBuffer part = src.duplicate();
        part.limit(part.position() + Math.min(7, part.remaining()));
        delegate.write(part, position);
        throw new IOException(failure.message());
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        return failing.getAsBoolean() ? failAfterPartialWrite(src, position) : delegate.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return failing.getAsBoolean() ? failAfterPartialWrite(src, delegate.position()) : delegate.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (failing.getAsBoolean()) {
            throw new IOException(failure.message());
        }
        return delegate.write(srcs, offset, length);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        if (failing.getAsBoolean()) {
            throw new IOException(failure.message());
        }
        return delegate.transferFrom(src, position, count);
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (failure.flushesFail() && failing.getAsBoolean()) {
            throw new IOException(failure.message());
        }
        delegate.force(metaData);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        return this;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return delegate.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
    }
}
