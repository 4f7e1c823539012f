package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;

/**
 * One segment of a partition log: the {@code <baseOffset>.log} file of record batches, its two
 * sparse indexes and its index of aborted transactions. Every record in the segment has an offset at least {@code baseOffset}, and its
 * offset minus the base offset fits in an int (the indexes store relative offsets).
 *
 * <p>Threading: appends, truncation and recovery come from the partition's single appender; reads
 * may run concurrently and see the bytes up to the size they were given, which the appender
 * publishes only after writing them.
 */
final class LogSegment implements Closeable {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    /** A segment the cleaner is writing; incomplete until renamed to {@link #SWAP_SUFFIX}. */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** A complete cleaned segment about to replace the segments it was cleaned from. */
    static final String SWAP_SUFFIX = ".swap";

    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final int maxIndexSize;
    private final long createdMs;
    private volatile Path logFile;
    /** Bytes of whole batches in the file: readers never look past it. */
    private volatile int size;
    private int bytesSinceLastIndexEntry;
    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar;
    /** The first batch's timestamp, which {@code segment.ms} counts from. */
    private volatile long rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;

    private LogSegment(long baseOffset, Path logFile, FileChannel channel, OffsetIndex offsetIndex, TimeIndex timeIndex,
            TransactionIndex txnIndex, int indexIntervalBytes, int maxIndexSize, long createdMs) throws IOException {
        this.txnIndex = txnIndex;
        this.baseOffset = baseOffset;
        this.maxIndexSize = maxIndexSize;
        this.logFile = logFile;
        this.channel = channel;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.size = (int) Math.min(channel.size(), Integer.MAX_VALUE);
        this.offsetOfMaxTimestampSoFar = baseOffset;
        TimeIndex.Entry lastTime = timeIndex.lastEntry();
        if (lastTime.timestamp() >= 0) {
            maxTimestampSoFar = lastTime.timestamp();
            offsetOfMaxTimestampSoFar = lastTime.offset();
        }
    }

    /** Creates the files of a new, empty segment that takes appends. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config, FileChannelFactory channels, long nowMs)
            throws IOException {
        return create(dir, baseOffset, config, channels, nowMs, "", config.segmentIndexBytes());
    }

    /**
     * Creates the files of a new, empty segment for the cleaner to write, named with {@link #CLEANED_SUFFIX}
     * after each file's usual name, with indexes preallocated to {@code maxIndexSize} bytes.
     */
    static LogSegment createCleaned(Path dir, long baseOffset, LogConfig config, FileChannelFactory channels,
            long nowMs, int maxIndexSize) throws IOException {
        return create(dir, baseOffset, config, channels, nowMs, CLEANED_SUFFIX, maxIndexSize);
    }

    private static LogSegment create(Path dir, long baseOffset, LogConfig config, FileChannelFactory channels,
            long nowMs, String suffix, int maxIndexSize) throws IOException {
        Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX) + suffix);
        FileChannel channel = channels.open(logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            return new LogSegment(baseOffset, logFile, channel,
                    new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX) + suffix), baseOffset, maxIndexSize),
                    new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX) + suffix), baseOffset, maxIndexSize),
                    new TransactionIndex(dir.resolve(fileName(baseOffset, TransactionIndex.SUFFIX) + suffix)),
                    config.indexIntervalBytes(), config.segmentIndexBytes(), nowMs);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Opens an existing segment. Missing index files are created empty; call {@link #recover} or
     * {@link #sanityCheckIndexes} before trusting them.
     *
     * @param active whether the segment takes appends (its indexes are then preallocated)
     */
    static LogSegment open(Path dir, long baseOffset, LogConfig config, FileChannelFactory channels, boolean active)
            throws IOException {
        Path logFile = dir.resolve(fileName(baseOffset, LOG_SUFFIX));
        FileChannel channel = channels.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            int maxIndexSize = active ? config.segmentIndexBytes() : -1;
            return new LogSegment(baseOffset, logFile, channel,
                    new OffsetIndex(dir.resolve(fileName(baseOffset, INDEX_SUFFIX)), baseOffset, maxIndexSize),
                    new TimeIndex(dir.resolve(fileName(baseOffset, TIME_INDEX_SUFFIX)), baseOffset, maxIndexSize),
                    new TransactionIndex(dir.resolve(fileName(baseOffset, TransactionIndex.SUFFIX))),
                    config.indexIntervalBytes(), config.segmentIndexBytes(), Files.getLastModifiedTime(logFile).toMillis());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Kafka's file naming: the base offset as 20 digits, so names sort as offsets do. */
    static String fileName(long baseOffset, String suffix) {
        return String.format("%020d%s", baseOffset, suffix);
    }

    long baseOffset() {
        return baseOffset;
    }

    int size() {
        return size;
    }

    Path logFile() {
        return logFile;
    }

    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    long offsetOfMaxTimestampSoFar() {
        return offsetOfMaxTimestampSoFar;
    }

    /** The newest timestamp in the segment, or its file's modification time when records carry none. */
    long largestTimestamp() throws IOException {
        long max = maxTimestampSoFar;
        return max >= 0 ? max : Files.getLastModifiedTime(logFile).toMillis();
    }

    /**
     * How long the segment has been filling, for {@code segment.ms}: as Kafka measures it, from the
     * first batch's timestamp to the incoming batch's when records carry timestamps, else from the
     * segment's creation to now.
     */
    long timeWaitedForRoll(long nowMs, long incomingMaxTimestamp) {
        long first = rollingBasedTimestamp;
        return first >= 0 ? incomingMaxTimestamp - first : nowMs - createdMs;
    }

    /** The aborted transactions whose ABORT marker is in this segment. */
    TransactionIndex txnIndex() {
        return txnIndex;
    }

    boolean indexesFull() {
        return offsetIndex.isFull() || timeIndex.isFull();
    }

    /** Whether {@code offset} can be stored in this segment, whose indexes hold offsets relative to its base. */
    boolean canHoldOffset(long offset) {
        return offset - baseOffset <= Integer.MAX_VALUE && offset >= baseOffset;
    }

    /**
     * Writes batches whose offsets are already assigned at the end of the segment. The bytes become
     * visible to readers only once they are all written; on failure the file is cut back.
     *
     * @param largestOffset        the last offset of the batches
     * @param maxTimestamp         their largest timestamp
     * @param offsetOfMaxTimestamp the offset carrying it
     */
    void append(long largestOffset, long maxTimestamp, long offsetOfMaxTimestamp, ByteBuffer batches) throws IOException {
        int position = size;
        int length = batches.remaining();
        try {
            ByteBuffer bytes = batches.duplicate();
            while (bytes.hasRemaining()) {
                channel.write(bytes, position + (length - bytes.remaining()));
            }
        } catch (IOException e) {
            cutBackTo(position);
            throw e;
        }
        if (position == 0) {
            rollingBasedTimestamp = batches.getLong(batches.position() + BatchHeader.MAX_TIMESTAMP);
        }
        if (maxTimestamp > maxTimestampSoFar) {
            maxTimestampSoFar = maxTimestamp;
            offsetOfMaxTimestampSoFar = offsetOfMaxTimestamp;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            try {
                offsetIndex.append(largestOffset, position);
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            } catch (InternalError e) {
                cutBackTo(position);
                throw MappedIndex.writeFault(e);
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += length;
        size = position + length;
    }

    private void cutBackTo(int position) {
        try {
            channel.truncate(position);
        } catch (IOException ignored) {
            // Recovery removes the partial batch if truncation is impossible now; readers stop at `size` meanwhile.
        }
    }

    /** A batch located in the file. */
    record Located(int position, BatchHeader header) {
    }

    /**
     * The first batch at or after the index's hint for {@code offset} whose last offset is at least
     * {@code offset}, or empty when no batch before {@code maxPosition} has one.
     */
    Optional<Located> locate(long offset, int maxPosition) throws IOException {
        ByteBuffer headerBuffer = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = offsetIndex.lookup(offset).position();
        while (position < maxPosition) {
            BatchHeader header = readHeader(headerBuffer, position, maxPosition);
            if (header.lastOffset() >= offset) {
                return Optional.of(new Located(position, header));
            }
            position += header.sizeInBytes();
        }
        return Optional.empty();
    }

    private BatchHeader readHeader(ByteBuffer headerBuffer, int position, int maxPosition) throws IOException {
        headerBuffer.clear();
        if (maxPosition - position < BatchHeader.SIZE) {
            throw new IOException("Segment " + logFile + " ends inside a batch header at " + position);
        }
        readFully(headerBuffer, position);
        return BatchHeader.read(headerBuffer, 0);
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long start = position;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("Unexpected end of segment " + logFile + " at " + (start + buffer.position()));
            }
        }
    }

    /**
     * Whole batches from the one holding {@code startOffset}, at most {@code maxBytes} of them unless
     * the first alone is larger and {@code minOneBatch} is set, and none whose base offset is
     * {@code maxOffsetExclusive} or more.
     *
     * @param maxPosition        the end of the bytes the caller may see (the published end)
     * @param maxOffsetExclusive an upper bound such as the high watermark, or {@link Long#MAX_VALUE}
     *                           (one header read per batch finds the batches' end and counts their records)
     * @return the slice, possibly empty, or empty Optional when the segment holds nothing at or past startOffset
     */
    Optional<LogSlice> read(long startOffset, int maxBytes, int maxPosition, long maxOffsetExclusive, boolean minOneBatch)
            throws IOException {
        Optional<Located> first = locate(startOffset, maxPosition);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        int start = first.get().position();
        if (first.get().header().baseOffset() >= maxOffsetExclusive) {
            return Optional.of(LogSlice.EMPTY);
        }
        ByteBuffer headerBuffer = ByteBuffer.allocate(BatchHeader.SIZE);
        int end = start;
        int records = 0;
        BatchHeader header = first.get().header();
        while (true) {
            int next = end + header.sizeInBytes();
            boolean fits = next - start <= maxBytes || (minOneBatch && end == start);
            if (!fits) {
                break;
            }
            end = next;
            records += header.recordCount();
            if (end >= maxPosition) {
                break;
            }
            header = readHeader(headerBuffer, end, maxPosition);
            if (header.baseOffset() >= maxOffsetExclusive) {
                break;
            }
        }
        return Optional.of(end == start ? LogSlice.EMPTY : new LogSlice(channel, start, end - start, records));
    }

    /**
     * The first record at or after {@code startingOffset} whose timestamp is at least {@code timestamp}.
     */
    Optional<TimestampOffset> findOffsetByTimestamp(long timestamp, long startingOffset, int maxPosition)
            throws IOException {
        long fromOffset = Math.max(timeIndex.lookup(timestamp).offset(), startingOffset);
        Optional<Located> located = locate(fromOffset, maxPosition);
        if (located.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer headerBuffer = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = located.get().position();
        while (position < maxPosition) {
            BatchHeader header = readHeader(headerBuffer, position, maxPosition);
            if (header.maxTimestamp() >= timestamp && header.lastOffset() >= startingOffset) {
                for (Record record : readBatch(position, header.sizeInBytes())) {
                    if (record.timestamp() >= timestamp && record.offset() >= startingOffset) {
                        return Optional.of(new TimestampOffset(record.timestamp(), record.offset()));
                    }
                }
            }
            position += header.sizeInBytes();
        }
        return Optional.empty();
    }

    /**
     * Fills {@code buffer}, cleared first, with the segment's bytes from {@code position} until the
     * buffer is full or the segment ends, and flips it for reading; for the cleaner, which reads
     * closed segments whole.
     */
    void readInto(ByteBuffer buffer, int position) throws IOException {
        buffer.clear();
        buffer.limit(Math.max(0, Math.min(buffer.capacity(), size - position)));
        readFully(buffer, position);
        buffer.flip();
    }

    private MutableRecordBatch readBatch(int position, int sizeInBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(sizeInBytes);
        readFully(buffer, position);
        return BatchValidator.batchAt(buffer.flip(), 0, sizeInBytes);
    }

    /**
     * Calls {@code visitor} with the header of every batch from the one holding {@code fromOffset}
     * up to {@code maxPosition}.
     */
    void scanBatches(long fromOffset, int maxPosition, java.util.function.Consumer<StoredBatch> visitor)
            throws IOException {
        Optional<Located> first = locate(fromOffset, maxPosition);
        if (first.isEmpty()) {
            return;
        }
        ByteBuffer header = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = first.get().position();
        while (position < maxPosition) {
            header.clear();
            readFully(header, position);
            long baseOffset = header.getLong(BatchHeader.BASE_OFFSET);
            int size = Records.LOG_OVERHEAD + header.getInt(BatchHeader.LENGTH);
            short attributes = header.getShort(BatchHeader.ATTRIBUTES);
            boolean control = (attributes & BatchHeader.CONTROL_FLAG) != 0;
            visitor.accept(new StoredBatch(baseOffset, baseOffset + header.getInt(BatchHeader.LAST_OFFSET_DELTA),
                    header.getLong(BatchHeader.PRODUCER_ID), header.getShort(BatchHeader.PRODUCER_EPOCH),
                    header.getInt(BatchHeader.BASE_SEQUENCE), header.getLong(BatchHeader.MAX_TIMESTAMP),
                    (attributes & BatchHeader.TRANSACTIONAL_FLAG) != 0, control, control ? readMarker(position, size) : null));
            position += size;
        }
    }

    /** The end-of-transaction marker of the control batch at {@code position}, or null when it holds none. */
    private EndTransactionMarker readMarker(int position, int size) throws IOException {
        ByteBuffer batch = ByteBuffer.allocate(size);
        readFully(batch, position);
        batch.flip();
        for (Record record : BatchValidator.batchAt(batch, 0, size)) {
            ControlRecordType type = ControlRecordType.parse(record.key());
            return type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT
                    ? EndTransactionMarker.deserialize(record) : null;
        }
        return null;
    }

    /** What a recovery scan found. */
    record RecoveryResult(int validBytes, long truncatedBytes, String reason, long lastOffset) {
    }

    /**
     * Rebuilds the indexes by scanning every batch and cuts the file after the last valid one: a
     * torn write or corruption ends the segment there.
     *
     * @param expectedNextOffset the lowest offset the first batch may start at
     */
    RecoveryResult recover(long expectedNextOffset) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        txnIndex.reset(); // rebuilt by the loader, which knows the transactions open before this segment
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        bytesSinceLastIndexEntry = 0;
        long fileSize = channel.size();
        int position = 0;
        long nextOffset = Math.max(expectedNextOffset, baseOffset);
        long lastOffset = baseOffset - 1;
        String reason = null;
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (position < fileSize) {
            BatchHeader header;
            try {
                int available = (int) Math.min(fileSize - position, Integer.MAX_VALUE);
                buffer.clear().limit(Math.min(Records.LOG_OVERHEAD, available));
                readFully(buffer, position);
                buffer.flip();
                int length = buffer.limit() == Records.LOG_OVERHEAD ? buffer.getInt(BatchHeader.LENGTH) : -1;
                if (length >= BatchHeader.MIN_LENGTH && length <= available - Records.LOG_OVERHEAD) {
                    int sizeInBytes = length + Records.LOG_OVERHEAD;
                    if (buffer.capacity() < sizeInBytes) {
                        buffer = ByteBuffer.allocate(sizeInBytes);
                    }
                    buffer.clear().limit(sizeInBytes);
                    readFully(buffer, position);
                    buffer.flip();
                }
                // With a bad or overlong length only the prefix is in the buffer; the validator names the problem from it.
                header = BatchValidator.checkBatch(buffer, 0, available, Integer.MAX_VALUE);
                if (header.baseOffset() < nextOffset) {
                    throw new InvalidBatchException(InvalidBatchException.Reason.INVALID, "Batch base offset "
                            + header.baseOffset() + " is below the expected next offset " + nextOffset);
                }
                if (!canHoldOffset(header.lastOffset())) {
                    throw new InvalidBatchException(InvalidBatchException.Reason.INVALID,
                            "Batch offsets " + header.baseOffset() + ".." + header.lastOffset() + " do not fit the segment");
                }
            } catch (InvalidBatchException e) {
                reason = e.getMessage();
                break;
            }
            if (position == 0) {
                rollingBasedTimestamp = header.maxTimestamp();
            }
            if (bytesSinceLastIndexEntry > indexIntervalBytes && !indexesFull()) {
                offsetIndex.append(header.lastOffset(), position);
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
                bytesSinceLastIndexEntry = 0;
            }
            if (header.maxTimestamp() > maxTimestampSoFar) {
                maxTimestampSoFar = header.maxTimestamp();
                offsetOfMaxTimestampSoFar = header.lastOffset();
            }
            bytesSinceLastIndexEntry += header.sizeInBytes();
            position += header.sizeInBytes();
            nextOffset = header.lastOffset() + 1;
            lastOffset = header.lastOffset();
        }
        long truncated = fileSize - position;
        if (truncated > 0) {
            channel.truncate(position);
        }
        size = position;
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        return new RecoveryResult(position, truncated, reason, lastOffset);
    }

    /** Throws {@link IllegalStateException} when an index cannot belong to this segment as it is. */
    void sanityCheckIndexes() {
        offsetIndex.sanityCheck(size);
        timeIndex.sanityCheck(size);
    }

    /** The last offset in the segment, found from the index and a scan of the batches after it. */
    long readLastOffset() throws IOException {
        ByteBuffer headerBuffer = ByteBuffer.allocate(BatchHeader.SIZE);
        int position = offsetIndex.lastEntry().position();
        long last = baseOffset - 1;
        int end = size;
        while (position < end) {
            BatchHeader header = readHeader(headerBuffer, position, end);
            last = header.lastOffset();
            position += header.sizeInBytes();
        }
        return last;
    }

    /**
     * Removes every batch holding offsets at or past {@code offset} (a batch is kept or removed
     * whole) and returns the number of bytes removed.
     */
    int truncateTo(long offset) throws IOException {
        Optional<Located> located = locate(offset, size);
        if (located.isEmpty()) {
            return 0;
        }
        int position = located.get().position();
        int removed = size - position;
        // The batch holding the offset goes whole, and with it every index entry for its offsets.
        long firstRemoved = located.get().header().baseOffset();
        offsetIndex.truncateTo(firstRemoved);
        timeIndex.truncateTo(firstRemoved);
        txnIndex.truncateTo(firstRemoved);
        channel.truncate(position);
        size = position;
        bytesSinceLastIndexEntry = 0;
        TimeIndex.Entry lastTime = timeIndex.lastEntry();
        maxTimestampSoFar = lastTime.timestamp();
        offsetOfMaxTimestampSoFar = lastTime.offset();
        // The time index is sparse: the batches after its last entry may hold newer timestamps.
        Optional<Located> scanFrom = locate(lastTime.offset(), size);
        if (scanFrom.isPresent()) {
            ByteBuffer headerBuffer = ByteBuffer.allocate(BatchHeader.SIZE);
            for (int scan = scanFrom.get().position(); scan < size; ) {
                BatchHeader header = readHeader(headerBuffer, scan, size);
                if (header.maxTimestamp() > maxTimestampSoFar) {
                    maxTimestampSoFar = header.maxTimestamp();
                    offsetOfMaxTimestampSoFar = header.lastOffset();
                }
                scan += header.sizeInBytes();
            }
        }
        if (position == 0) {
            rollingBasedTimestamp = RecordBatch.NO_TIMESTAMP;
        }
        return removed;
    }

    /** Called when the segment stops taking appends: a final time index entry, indexes trimmed. */
    void onBecomeInactive() throws IOException {
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Grows the indexes to their preallocated size so that the segment takes appends again. */
    void onBecomeActive() throws IOException {
        offsetIndex.resize(maxIndexSize);
        timeIndex.resize(maxIndexSize);
    }

    void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /**
     * Renames the segment's three files from {@code oldSuffix} to {@code newSuffix} after their usual
     * names, as a cleaned segment goes from {@code .cleaned} to {@code .swap} to none; the files stay open.
     */
    void changeFileSuffix(String oldSuffix, String newSuffix) throws IOException {
        // The transaction index first: recovery rebuilds missing offset and time indexes, and with them
        // the transaction index, but cannot tell a lost transaction index from a segment without aborts.
        txnIndex.renameTo(withSuffix(txnIndex.path(), oldSuffix, newSuffix));
        Path target = withSuffix(logFile, oldSuffix, newSuffix);
        Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE);
        logFile = target;
        offsetIndex.renameTo(withSuffix(offsetIndex.path(), oldSuffix, newSuffix));
        timeIndex.renameTo(withSuffix(timeIndex.path(), oldSuffix, newSuffix));
    }

    private static Path withSuffix(Path file, String oldSuffix, String newSuffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(oldSuffix)) {
            throw new IllegalStateException("File " + file + " does not end with " + oldSuffix);
        }
        return file.resolveSibling(name.substring(0, name.length() - oldSuffix.length()) + newSuffix);
    }

    /** Renames the files with the {@code .deleted} suffix; they stay readable until {@link #deleteFiles}. */
    void markForDeletion() throws IOException {
        Path target = logFile.resolveSibling(logFile.getFileName() + DELETED_SUFFIX);
        Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE);
        logFile = target;
        offsetIndex.renameTo(offsetIndex.path().resolveSibling(offsetIndex.path().getFileName() + DELETED_SUFFIX));
        timeIndex.renameTo(timeIndex.path().resolveSibling(timeIndex.path().getFileName() + DELETED_SUFFIX));
        txnIndex.renameTo(txnIndex.path().resolveSibling(txnIndex.path().getFileName() + DELETED_SUFFIX));
    }

    void deleteFiles() throws IOException {
        channel.close();
        Files.deleteIfExists(logFile);
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
    }

    /** Closes the file without touching the indexes, as a killed process leaves them. */
    void abandon() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do: the point is to leave things as they are
        }
    }

    /** Closes the segment for good, leaving the indexes trimmed to their entries. */
    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen()) {
                offsetIndex.close();
                timeIndex.close();
                txnIndex.close();
            }
        } finally {
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile + ", size=" + size + ")";
    }
}
