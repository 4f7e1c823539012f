package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;

/**
 * Model-based properties of {@link PartitionLog}: random sequences of appends, reads, clean and
 * crash restarts, high watermark moves, truncations and searches by time run against the real log
 * and against a list of the batches it should hold; after every step the two must agree.
 *
 * <p>A crash is {@link PartitionLog#abandon()}: the files keep every byte (the page cache outlives
 * a killed process), so a crash restart must lose nothing that was appended.
 */
class PartitionLogPropertyTest {

    private static final TopicPartition TP = new TopicPartition("prop", 0);
    private static final long BASE_TIMESTAMP = 1_600_000_000_000L;

    // ------------------------------------------------------------------------------------ properties

    @Property(tries = 50)
    void appendsReadsAndRestartsKeepExactlyTheAppendedRecords(
            @ForAll("withoutTruncation") List<Action> actions,
            @ForAll @IntRange(min = 1024, max = 8192) int segmentBytes,
            @ForAll("indexIntervals") int indexIntervalBytes,
            @ForAll("indexSizes") int segmentIndexBytes) throws IOException {
        run(actions, config(segmentBytes, indexIntervalBytes, segmentIndexBytes));
    }

    @Property(tries = 50)
    void truncationsAmongAppendsReadsAndRestartsKeepTheModel(
            @ForAll("withTruncation") List<Action> actions,
            @ForAll @IntRange(min = 1024, max = 8192) int segmentBytes,
            @ForAll("indexIntervals") int indexIntervalBytes,
            @ForAll("indexSizes") int segmentIndexBytes) throws IOException {
        run(actions, config(segmentBytes, indexIntervalBytes, segmentIndexBytes));
    }

    /** Truncating to the log start removes every segment; a new, empty one must start there (Kafka: truncateFullyAndStartAt). */
    @Example
    void truncatingTheWholeLogToItsStartOffsetLeavesAnEmptyLogThatTakesAppends() throws IOException {
        run(List.of(new Append(List.of(List.of(new Rec(10, 0), new Rec(10, 1)))), new Truncate(0.0),
                new Append(List.of(List.of(new Rec(5, 2)))), new CrashRestart()),
                config(1024, 4096, 64 * 1024));
    }

    /** A truncation inside the active segment must not make a search by time skip the records left in it. */
    @Example
    void afterATruncationASearchByTimeStillFindsTheRecordsLeftInTheActiveSegment() throws IOException {
        run(List.of(new Append(List.of(List.of(new Rec(10, 500)))), new Append(List.of(List.of(new Rec(10, 600)))),
                new Truncate(0.6), new FindByTime(0.0)),
                config(8192, 4096, 64 * 1024));
    }

    /**
     * With LogAppendTime the time index points at the first offset of an append; a truncation inside
     * that batch removes the batch whole, and must forget its time index entry too.
     */
    @Example
    void aTruncationInsideALogAppendTimeBatchForgetsThatBatchsTimestamp() throws IOException {
        Path root = Files.createTempDirectory("partition-log-property");
        LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(1_000_000);
        LogConfig config = LogConfig.builder().timestampType(TimestampType.LOG_APPEND_TIME).indexIntervalBytes(0)
                .segmentIndexBytes(64 * 1024).build();
        PartitionLog log = PartitionLog.open(root.resolve("prop-0"), TP, config, clock, FileChannelFactory.DEFAULT, null);
        try {
            log.append(LogTestSupport.batch("a", 3), 0); // offsets 0..2 stamped 1_000_000
            clock.advance(1000);
            log.append(LogTestSupport.batch("b", 3), 0); // offsets 3..5 stamped 1_001_000
            clock.advance(1000);
            log.append(LogTestSupport.batch("c", 3), 0); // offsets 6..8 stamped 1_002_000

            log.truncateTo(7); // batch c goes whole

            assertThat(log.logEndOffset()).isEqualTo(6);
            assertThat(log.maxTimestamp()).contains(new TimestampOffset(1_001_000, 3));
            assertThat(log.offsetForTimestamp(1_000_500)).contains(new TimestampOffset(1_001_000, 3));
        } finally {
            log.close();
            deleteRecursively(root);
        }
    }

    private static LogConfig config(int segmentBytes, int indexIntervalBytes, int segmentIndexBytes) {
        return LogConfig.builder()
                .segmentBytes(segmentBytes)
                .indexIntervalBytes(indexIntervalBytes)
                .segmentIndexBytes(segmentIndexBytes)
                .build();
    }

    // ------------------------------------------------------------------------------------ actions

    sealed interface Action permits Append, Read, CleanRestart, CrashRestart, UpdateHighWatermark, Truncate,
            FindByTime {
    }

    /** A record to append: its value size and its timestamp as an offset from {@link #BASE_TIMESTAMP}. */
    record Rec(int valueSize, int timestampDelta) {
    }

    /** One produce request: one or a few batches of records. */
    record Append(List<List<Rec>> batches) implements Action {
        @Override
        public String toString() {
            return "Append" + batches.stream()
                    .map(b -> b.stream().map(r -> r.valueSize() + "b@" + r.timestampDelta())
                            .collect(Collectors.joining(",", "[", "]")))
                    .collect(Collectors.joining());
        }
    }

    /** A read at {@code at} of the way from the log start to the log end, up to the high watermark or not. */
    record Read(double at, int maxBytes, boolean upToHighWatermark) implements Action {
    }

    record CleanRestart() implements Action {
    }

    record CrashRestart() implements Action {
    }

    /** Moves the high watermark to {@code at} of the way from the log start to the log end. */
    record UpdateHighWatermark(double at) implements Action {
    }

    /** Truncates at {@code at} of the way from the high watermark to the log end. */
    record Truncate(double at) implements Action {
    }

    /** Searches by a timestamp {@code at} of the way across the range of the log's timestamps (and a bit beyond). */
    record FindByTime(double at) implements Action {
    }

    @Provide
    Arbitrary<List<Action>> withoutTruncation() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, appends()),
                Tuple.of(5, reads()),
                Tuple.of(1, Arbitraries.just(new CleanRestart())),
                Tuple.of(2, Arbitraries.just(new CrashRestart())),
                Tuple.of(2, fraction().map(UpdateHighWatermark::new)),
                Tuple.of(2, fraction().map(FindByTime::new)))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Action>> withTruncation() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, appends()),
                Tuple.of(5, reads()),
                Tuple.of(1, Arbitraries.just(new CleanRestart())),
                Tuple.of(2, Arbitraries.just(new CrashRestart())),
                Tuple.of(2, fraction().map(UpdateHighWatermark::new)),
                Tuple.of(2, fraction().map(FindByTime::new)),
                Tuple.of(3, fraction().map(Truncate::new)))
                .list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<Integer> indexIntervals() {
        return Arbitraries.integers().between(0, 2048);
    }

    /** Down to the smallest allowed size, where the indexes fill up after an entry or two and force rolls. */
    @Provide
    Arbitrary<Integer> indexSizes() {
        return Arbitraries.of(24, 100, 1000, 64 * 1024);
    }

    private static Arbitrary<Action> appends() {
        Arbitrary<Rec> record = Combinators.combine(Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(0, 1000)).as(Rec::new);
        Arbitrary<List<Rec>> batch = record.list().ofMinSize(1).ofMaxSize(20);
        return Arbitraries.frequencyOf(
                Tuple.of(6, batch.list().ofSize(1)),
                Tuple.of(1, batch.list().ofMinSize(2).ofMaxSize(3)))
                .map(Append::new);
    }

    private static Arbitrary<Action> reads() {
        return Combinators.combine(fraction(), Arbitraries.integers().between(1, 16 * 1024),
                Arbitraries.of(false, false, true)).as(Read::new);
    }

    private static Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1);
    }

    // ------------------------------------------------------------------------------------ the model

    /** A batch as the log should hold it. */
    record Batch(long baseOffset, List<byte[]> values, List<Long> timestamps, int sizeInBytes) {
        long lastOffset() {
            return baseOffset + values.size() - 1;
        }
    }

    /** What the log should hold. Nothing here moves the log start offset, so it stays 0. */
    static final class Model {
        final List<Batch> batches = new ArrayList<>();
        long logStartOffset;
        long logEndOffset;
        long highWatermark;
        /** The high watermark in partition.checkpoint, written on every open and clean close. */
        long checkpointedHighWatermark;
        int appends;

        int indexOfBatchHolding(long offset) {
            for (int i = 0; i < batches.size(); i++) {
                if (batches.get(i).lastOffset() >= offset) {
                    return i;
                }
            }
            throw new AssertionError("no batch holds offset " + offset);
        }

        /** Offset, timestamp of each record from the log start, in offset order. */
        List<long[]> records() {
            List<long[]> records = new ArrayList<>();
            for (Batch batch : batches) {
                for (int i = 0; i < batch.values().size(); i++) {
                    if (batch.baseOffset() + i >= logStartOffset) {
                        records.add(new long[] {batch.baseOffset() + i, batch.timestamps().get(i)});
                    }
                }
            }
            return records;
        }
    }

    // ------------------------------------------------------------------------------------ running

    private static void run(List<Action> actions, LogConfig config) throws IOException {
        Path root = Files.createTempDirectory("partition-log-property");
        Path dir = root.resolve("prop-0");
        LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(1_700_000_000_000L);
        PartitionLog log = null;
        try {
            log = PartitionLog.open(dir, TP, config, clock, FileChannelFactory.DEFAULT, null);
            Model model = new Model();
            check(log, model);
            for (int step = 0; step < actions.size(); step++) {
                Action action = actions.get(step);
                try {
                    clock.advance(1);
                    log = apply(action, log, model, dir, config, clock);
                    check(log, model);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("step " + step + " " + action + ": " + e, e);
                }
            }
            PartitionLog closing = log;
            log = null;
            closing.close();
        } finally {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException | RuntimeException ignored) {
                    // the property already failed; the directory goes anyway
                }
            }
            deleteRecursively(root);
        }
    }

    /** Applies the action to the log and the model; returns the log, which restarts replace. */
    private static PartitionLog apply(Action action, PartitionLog log, Model model, Path dir, LogConfig config,
            LogTestSupport.MutableClock clock) throws IOException {
        if (action instanceof Append append) {
            appendTo(log, model, append);
            return log;
        }
        if (action instanceof Read read) {
            checkRead(log, model, read);
            return log;
        }
        if (action instanceof CleanRestart) {
            log.close();
            PartitionLog reopened = PartitionLog.open(dir, TP, config, clock, FileChannelFactory.DEFAULT, null);
            model.checkpointedHighWatermark = model.highWatermark;
            return reopened;
        }
        if (action instanceof CrashRestart) {
            log.abandon();
            PartitionLog reopened = PartitionLog.open(dir, TP, config, clock, FileChannelFactory.DEFAULT, null);
            // The high watermark comes back from the last checkpoint, clamped into the log.
            model.highWatermark = Math.min(Math.max(model.checkpointedHighWatermark, model.logStartOffset),
                    model.logEndOffset);
            model.checkpointedHighWatermark = model.highWatermark;
            return reopened;
        }
        if (action instanceof UpdateHighWatermark update) {
            long offset = between(model.logStartOffset, model.logEndOffset, update.at());
            log.updateHighWatermark(offset);
            model.highWatermark = offset;
            return log;
        }
        if (action instanceof Truncate truncate) {
            long offset = between(model.highWatermark, model.logEndOffset, truncate.at());
            log.truncateTo(offset);
            if (offset < model.logEndOffset) {
                // The batch holding the offset goes whole.
                int first = model.indexOfBatchHolding(offset);
                model.logEndOffset = model.batches.get(first).baseOffset();
                model.batches.subList(first, model.batches.size()).clear();
                model.highWatermark = Math.min(model.highWatermark, model.logEndOffset);
            }
            return log;
        }
        if (action instanceof FindByTime find) {
            checkFindByTime(log, model, find);
            return log;
        }
        throw new IllegalArgumentException("unknown action " + action);
    }

    /** {@code from + at * (to - from)}, rounded down, within [from, to]. */
    private static long between(long from, long to, double at) {
        return Math.min(to, from + (long) Math.floor(at * (to - from + 1)));
    }

    private static void appendTo(PartitionLog log, Model model, Append append) {
        int generation = ++model.appends;
        List<Batch> batches = new ArrayList<>();
        List<MemoryRecords> parts = new ArrayList<>();
        long offset = model.logEndOffset;
        for (List<Rec> recs : append.batches()) {
            SimpleRecord[] records = new SimpleRecord[recs.size()];
            List<byte[]> values = new ArrayList<>();
            List<Long> timestamps = new ArrayList<>();
            for (int i = 0; i < recs.size(); i++) {
                byte[] value = new byte[recs.get(i).valueSize()];
                for (int j = 0; j < value.length; j++) {
                    value[j] = (byte) (generation * 131 + i * 7 + j);
                }
                long timestamp = BASE_TIMESTAMP + recs.get(i).timestampDelta();
                values.add(value);
                timestamps.add(timestamp);
                records[i] = new SimpleRecord(timestamp, null, value);
            }
            MemoryRecords part = MemoryRecords.withRecords(Compression.NONE, records);
            parts.add(part);
            batches.add(new Batch(offset, values, timestamps, part.sizeInBytes()));
            offset += recs.size();
        }
        MemoryRecords request = LogTestSupport.concat(parts.toArray(MemoryRecords[]::new));

        AppendResult result = log.append(request, 0);

        assertThat(result.firstOffset()).isEqualTo(model.logEndOffset);
        assertThat(result.lastOffset()).isEqualTo(offset - 1);
        model.batches.addAll(batches);
        model.logEndOffset = offset;
    }

    // ------------------------------------------------------------------------------------ checks

    /** The invariants after every step: bounds, segments on batch boundaries, and every record in order. */
    private static void check(PartitionLog log, Model model) {
        assertThat(log.isOffline()).as("offline").isFalse();
        assertThat(log.logStartOffset()).as("log start offset").isEqualTo(model.logStartOffset);
        assertThat(log.logEndOffset()).as("log end offset").isEqualTo(model.logEndOffset);
        assertThat(log.highWatermark()).as("high watermark").isEqualTo(model.highWatermark);

        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases).as("segment base offsets").isSorted().doesNotHaveDuplicates();
        assertThat(bases.get(0)).as("first segment base").isEqualTo(model.logStartOffset);
        List<Long> boundaries = new ArrayList<>(model.batches.stream().map(Batch::baseOffset).toList());
        boundaries.add(model.logEndOffset);
        assertThat(boundaries).as("segments start on batch boundaries").containsAll(bases);

        // Everything, as consumers read it: whole batches, contiguous offsets, the model's records.
        int next = 0;
        long offset = model.logStartOffset;
        while (offset < model.logEndOffset) {
            List<RecordBatch> read = batches(log.read(offset, Integer.MAX_VALUE, Long.MAX_VALUE, true).slice());
            assertThat(read).as("read at %d", offset).isNotEmpty();
            for (RecordBatch batch : read) {
                assertThat(next).as("more batches than the model has").isLessThan(model.batches.size());
                assertSameBatch(batch, model.batches.get(next++));
            }
            offset = read.get(read.size() - 1).lastOffset() + 1;
        }
        assertThat(next).as("batches read").isEqualTo(model.batches.size());
    }

    /** A read returns whole batches from the one holding the offset on, as many as fit, within one segment. */
    private static void checkRead(PartitionLog log, Model model, Read action) {
        long offset = between(model.logStartOffset, model.logEndOffset, action.at());
        long bound = action.upToHighWatermark() ? model.highWatermark : Long.MAX_VALUE;
        LogReadResult result = log.read(offset, action.maxBytes(), bound, true);
        assertThat(result.logStartOffset()).isEqualTo(model.logStartOffset);
        assertThat(result.logEndOffset()).isEqualTo(model.logEndOffset);
        assertThat(result.highWatermark()).isEqualTo(model.highWatermark);
        List<RecordBatch> read = batches(result.slice());
        long upper = Math.min(bound, model.logEndOffset);
        if (offset >= upper) {
            assertThat(read).as("read at %d with nothing below %d", offset, upper).isEmpty();
            return;
        }
        assertThat(read).as("read at %d, a batch at least", offset).isNotEmpty();
        int first = model.indexOfBatchHolding(offset);
        int bytes = 0;
        for (int i = 0; i < read.size(); i++) {
            assertThat(first + i).as("more batches than the model has").isLessThan(model.batches.size());
            Batch expected = model.batches.get(first + i);
            assertSameBatch(read.get(i), expected);
            assertThat(expected.baseOffset()).as("batch below the bound").isLessThan(upper);
            bytes += expected.sizeInBytes();
        }
        assertThat(result.slice().sizeInBytes()).isEqualTo(bytes);
        if (read.size() > 1) {
            assertThat(bytes).as("bytes of several batches").isLessThanOrEqualTo(action.maxBytes());
        }
        int following = first + read.size();
        if (following < model.batches.size() && model.batches.get(following).baseOffset() < upper
                && bytes + model.batches.get(following).sizeInBytes() <= action.maxBytes()) {
            assertThat(log.segmentBaseOffsets()).as("a read that stops short of maxBytes ends with its segment")
                    .contains(model.batches.get(following).baseOffset());
        }
    }

    /** offsetForTimestamp finds the first record from the log start whose timestamp is at least the target. */
    private static void checkFindByTime(PartitionLog log, Model model, FindByTime action) {
        List<long[]> records = model.records();
        long min = records.stream().mapToLong(r -> r[1]).min().orElse(BASE_TIMESTAMP);
        long max = records.stream().mapToLong(r -> r[1]).max().orElse(BASE_TIMESTAMP);
        long target = between(min - 2, max + 2, action.at());
        Optional<TimestampOffset> expected = records.stream().filter(r -> r[1] >= target).findFirst()
                .map(r -> new TimestampOffset(r[1], r[0]));
        assertThat(log.offsetForTimestamp(target)).as("offsetForTimestamp(%d)", target).isEqualTo(expected);
        Optional<TimestampOffset> newest = records.stream().filter(r -> r[1] == max).findFirst()
                .map(r -> new TimestampOffset(r[1], r[0]));
        assertThat(log.maxTimestamp()).as("maxTimestamp()").isEqualTo(newest);
    }

    private static void assertSameBatch(RecordBatch actual, Batch expected) {
        String which = "batch at " + expected.baseOffset();
        assertThat(actual.isValid()).as(which + " is valid").isTrue();
        assertThat(actual.baseOffset()).as(which + " base offset").isEqualTo(expected.baseOffset());
        assertThat(actual.lastOffset()).as(which + " last offset").isEqualTo(expected.lastOffset());
        assertThat(actual.sizeInBytes()).as(which + " size").isEqualTo(expected.sizeInBytes());
        int i = 0;
        for (Record record : actual) {
            assertThat(i).as(which + " record count").isLessThan(expected.values().size());
            assertThat(record.offset()).as(which + " record offset").isEqualTo(expected.baseOffset() + i);
            assertThat(record.timestamp()).as(which + " timestamp " + i).isEqualTo(expected.timestamps().get(i));
            assertThat(bytes(record.value())).as(which + " value " + i).isEqualTo(expected.values().get(i));
            i++;
        }
        assertThat(i).as(which + " record count").isEqualTo(expected.values().size());
    }

    private static List<RecordBatch> batches(LogSlice slice) {
        List<RecordBatch> batches = new ArrayList<>();
        slice.toMemoryRecords().batches().forEach(batches::add);
        return batches;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
