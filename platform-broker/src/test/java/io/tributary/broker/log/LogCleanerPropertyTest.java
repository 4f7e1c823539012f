package io.tributary.broker.log;

import static io.tributary.broker.log.CompactionTestSupport.entry;
import static io.tributary.broker.log.CompactionTestSupport.keyed;
import static io.tributary.broker.log.CompactionTestSupport.readLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.log.CompactionTestSupport.Stored;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;

/**
 * Model-based property of compaction: random appends of keyed records and tombstones, cleanings,
 * clean and crash restarts and the passing of time run against a real compacted log and a model
 * that is simply every record appended. After every step the log must be a subsequence of the
 * model that still tells every key's latest value.
 */
class LogCleanerPropertyTest {

    private static final TopicPartition TP = new TopicPartition("compacted-prop", 0);
    private static final long START = 1_700_000_000_000L;
    private static final long DELETE_RETENTION_MS = 1_000;

    @Property(tries = 60)
    void aCompactedLogKeepsTheLatestValueOfEveryKey(
            @ForAll("actions") List<Action> actions,
            @ForAll @IntRange(min = 300, max = 3000) int segmentBytes,
            @ForAll boolean tombstonesExpire,
            @ForAll("lags") long minCompactionLagMs,
            @ForAll("dedupeBuffers") int dedupeBufferBytes) throws IOException {
        LogConfig config = LogConfig.builder().delete(false).compact(true).segmentBytes(segmentBytes)
                .fileDeleteDelayMs(0).minCompactionLagMs(minCompactionLagMs)
                .deleteRetentionMs(tombstonesExpire ? DELETE_RETENTION_MS : Long.MAX_VALUE / 4).build();
        Path root = Files.createTempDirectory("log-cleaner-property");
        LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(START);
        LogCleaner cleaner = new LogCleaner(clock, dedupeBufferBytes, 4096);
        Path dir = root.resolve("compacted-prop-0");
        PartitionLog log = PartitionLog.open(dir, TP, config, clock, FileChannelFactory.DEFAULT, null);
        List<Stored> model = new ArrayList<>();
        Map<Long, Long> timestamps = new HashMap<>();
        try {
            for (Action action : actions) {
                if (action instanceof Append append) {
                    List<Map.Entry<String, String>> records = append.records().stream()
                            .map(rec -> entry("k" + rec.key(), rec.value())).toList();
                    long first = log.append(keyed(append.compressed() ? Compression.lz4().build() : Compression.NONE,
                            clock.millis(), records), 0).firstOffset();
                    log.updateHighWatermark(log.logEndOffset());
                    for (int i = 0; i < records.size(); i++) {
                        model.add(new Stored(first + i, records.get(i).getKey(), records.get(i).getValue()));
                        timestamps.put(first + i, clock.millis());
                    }
                } else if (action instanceof Clean) {
                    cleaner.clean(log);
                } else if (action instanceof CleanRestart) {
                    log.close();
                    log = PartitionLog.open(dir, TP, config, clock, FileChannelFactory.DEFAULT, null);
                } else if (action instanceof CrashRestart) {
                    log.abandon();
                    log = PartitionLog.open(dir, TP, config, clock, FileChannelFactory.DEFAULT, null);
                    log.updateHighWatermark(log.logEndOffset()); // as a leader does when it takes over
                } else if (action instanceof Advance advance) {
                    clock.advance(advance.millis());
                }
                check(log, model, timestamps, clock.millis() - minCompactionLagMs, tombstonesExpire, action);
            }
        } finally {
            cleaner.close();
            log.close();
            deleteRecursively(root);
        }
    }

    private static void check(PartitionLog log, List<Stored> model, Map<Long, Long> timestamps, long lagHorizon,
            boolean tombstonesExpire, Action after) {
        String step = "after " + after;
        assertThat(log.logEndOffset()).as(step).isEqualTo(model.size());
        List<Stored> stored = readLog(log);
        assertThat(stored).as(step).isSubsetOf(model);
        assertThat(stored).as(step).isSortedAccordingTo(Comparator.comparingLong(Stored::offset));

        List<Long> bases = log.segmentBaseOffsets();
        long activeBase = bases.get(bases.size() - 1);
        Set<Stored> present = new HashSet<>(stored);
        for (Stored record : model) {
            boolean untouchable = record.offset() >= activeBase || timestamps.get(record.offset()) > lagHorizon;
            if (untouchable) {
                assertThat(present).as("%s: record %s of the active segment or within the lag", step, record)
                        .contains(record);
            }
        }

        Map<String, Stored> latestInModel = new HashMap<>();
        model.forEach(record -> latestInModel.put(record.key(), record));
        Map<String, Stored> latestInLog = new HashMap<>();
        stored.forEach(record -> latestInLog.put(record.key(), record));
        for (Map.Entry<String, Stored> latest : latestInModel.entrySet()) {
            Stored inLog = latestInLog.get(latest.getKey());
            if (inLog == null) {
                assertThat(tombstonesExpire && latest.getValue().value() == null)
                        .as("%s: key %s is gone though its latest record %s is not an expired tombstone", step,
                                latest.getKey(), latest.getValue())
                        .isTrue();
            } else {
                assertThat(inLog).as("%s: the latest record of key %s", step, latest.getKey())
                        .isEqualTo(latest.getValue());
            }
        }
    }

    // ------------------------------------------------------------------------------------ actions

    sealed interface Action permits Append, Clean, CleanRestart, CrashRestart, Advance {
    }

    /** A record to append: key k0..k29 (mostly k0..k7), and a value, or null for a tombstone. */
    record Rec(int key, String value) {
    }

    record Append(List<Rec> records, boolean compressed) implements Action {
    }

    record Clean() implements Action {
    }

    record CleanRestart() implements Action {
    }

    record CrashRestart() implements Action {
    }

    record Advance(long millis) implements Action {
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(40)),
                Tuple.of(1, Arbitraries.just((String) null)));
        Arbitrary<Integer> key = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 7)),
                Tuple.of(1, Arbitraries.integers().between(8, 29)));
        Arbitrary<Rec> record = Combinators.combine(key, value).as(Rec::new);
        Arbitrary<Action> append = Combinators.combine(record.list().ofMinSize(1).ofMaxSize(6),
                Arbitraries.of(false, false, false, true)).as(Append::new);
        return Arbitraries.frequencyOf(
                Tuple.of(12, append),
                Tuple.of(3, Arbitraries.just(new Clean())),
                Tuple.of(1, Arbitraries.just(new CleanRestart())),
                Tuple.of(1, Arbitraries.just(new CrashRestart())),
                Tuple.of(2, Arbitraries.longs().between(0, 2 * DELETE_RETENTION_MS).map(Advance::new)))
                .list().ofMinSize(1).ofMaxSize(80);
    }

    @Provide
    Arbitrary<Long> lags() {
        return Arbitraries.of(0L, 0L, 500L);
    }

    /** A map of 18 keys, fewer than the keys in play, makes cleanings stop where it fills up. */
    @Provide
    Arbitrary<Integer> dedupeBuffers() {
        return Arbitraries.of(24 * 20, 1024 * 1024);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
