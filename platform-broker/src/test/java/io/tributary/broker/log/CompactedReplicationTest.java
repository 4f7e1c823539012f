package io.tributary.broker.log;

import static io.tributary.broker.log.CompactionTestSupport.entry;
import static io.tributary.broker.log.CompactionTestSupport.keyed;
import static io.tributary.broker.log.CompactionTestSupport.readLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Crc32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower copies a compacted leader's log as the cleaner left it: batches that kept their offsets
 * but lost records, batches emptied to a bare header, and gaps where whole batches went. It still
 * refuses what no cleaner writes: bad CRCs, offsets going backwards, records outside their batch.
 */
class CompactedReplicationTest {

    private static final TopicPartition TP = new TopicPartition("compacted", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig COMPACTED = LogConfig.builder().delete(false).compact(true).segmentBytes(1024)
            .fileDeleteDelayMs(0).build();

    @TempDir
    Path dir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(NOW);
    private final LogCleaner cleaner = new LogCleaner(clock);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        cleaner.close();
        for (PartitionLog log : opened) {
            log.close();
        }
    }

    private PartitionLog open(String name) throws IOException {
        PartitionLog log = PartitionLog.open(dir.resolve(name), TP, COMPACTED, clock, FileChannelFactory.DEFAULT, null);
        opened.add(log);
        return log;
    }

    /**
     * A compacted leader log: an idempotent producer's only batch, superseded but kept emptied; rounds
     * over a few keys, of which the cleaner leaves batches with gaps and drops whole ones; a
     * compressed round; all but the active segment cleaned.
     */
    private PartitionLog compactedLeader() throws IOException {
        PartitionLog leader = open("leader");
        leader.append(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 3, 0,
                new SimpleRecord(NOW, bytes("a"), bytes("1")), new SimpleRecord(NOW, bytes("b"), bytes("2"))), 0);
        for (int round = 0; round < 40; round++) {
            List<Map.Entry<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                // 30 keys in a shifting order: a key's last write lands anywhere, so some batches keep a record or two.
                records.add(entry("k" + ((round * 7 + i * 11) % 30), "r" + round + "-" + i));
            }
            Compression compression = round % 7 == 3 ? Compression.gzip().build() : Compression.NONE;
            leader.append(keyed(compression, NOW, records), round < 20 ? 0 : 1);
        }
        leader.append(keyed(NOW, List.of(entry("a", "later"), entry("b", "later"))), 1);
        for (int round = 40; round < 50; round++) {
            leader.append(keyed(NOW, List.of(entry("z" + round, "r" + round))), 1);
        }
        leader.updateHighWatermark(leader.logEndOffset());
        cleaner.clean(leader).orElseThrow();
        return leader;
    }

    /** Copies the leader's log as a replica fetcher does: from this log's end, a few batches at a time. */
    private static void replicate(PartitionLog leader, PartitionLog follower, int fetchBytes) {
        while (follower.logEndOffset() < leader.logEndOffset()) {
            MemoryRecords fetched = leader.read(follower.logEndOffset(), fetchBytes, Long.MAX_VALUE, true).slice()
                    .toMemoryRecords();
            follower.appendAsFollower(fetched);
        }
    }

    private static List<MutableRecordBatch> batches(PartitionLog log) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            for (MutableRecordBatch batch : log.read(next, 1 << 20, Long.MAX_VALUE, true).slice().toMemoryRecords()
                    .batches()) {
                batches.add(batch);
                next = batch.nextOffset();
            }
        }
        return batches;
    }

    @Test
    void aNewReplicaCopiesACompactedLogWithItsGapsAndEmptiedBatches() throws IOException {
        PartitionLog leader = compactedLeader();
        List<MutableRecordBatch> leaderBatches = batches(leader);
        assertThat(leaderBatches).as("an emptied batch kept for its producer")
                .anySatisfy(batch -> assertThat(batch.countOrNull()).isZero());
        assertThat(leaderBatches).as("a batch that lost some records")
                .anySatisfy(batch -> assertThat(batch.countOrNull()).isPositive()
                        .isLessThan((int) (batch.lastOffset() - batch.baseOffset() + 1)));
        boolean gapBetweenBatches = false;
        for (int i = 1; i < leaderBatches.size(); i++) {
            gapBetweenBatches |= leaderBatches.get(i).baseOffset() > leaderBatches.get(i - 1).nextOffset();
        }
        assertThat(gapBetweenBatches).as("a whole batch removed").isTrue();

        PartitionLog follower = open("follower");
        replicate(leader, follower, 200); // small fetches: some start inside a gap

        assertThat(follower.logEndOffset()).isEqualTo(leader.logEndOffset());
        assertThat(readLog(follower)).containsExactlyElementsOf(readLog(leader));
        List<StoredBatch> leaderHeaders = new ArrayList<>();
        List<StoredBatch> followerHeaders = new ArrayList<>();
        leader.scanBatches(0, leaderHeaders::add);
        follower.scanBatches(0, followerHeaders::add);
        assertThat(followerHeaders).containsExactlyElementsOf(leaderHeaders);
        assertThat(follower.endOffsetForEpoch(0)).isEqualTo(leader.endOffsetForEpoch(0));
        // Its segments tile the offsets as the leader's do: each starts where the one before ends.
        List<Long> nextOffsets = followerHeaders.stream().map(batch -> batch.lastOffset() + 1).toList();
        List<Long> bases = follower.segmentBaseOffsets();
        assertThat(bases).hasSizeGreaterThan(1);
        assertThat(nextOffsets).containsAll(bases.subList(1, bases.size()));

        // What it copied survives a restart's recovery scan, and its own cleaner can take it from there.
        follower.close();
        opened.remove(follower);
        PartitionLog reopened = open("follower");
        assertThat(readLog(reopened)).containsExactlyElementsOf(readLog(leader));
        reopened.updateHighWatermark(reopened.logEndOffset());
        cleaner.clean(reopened);
        assertThat(CompactionTestSupport.latest(readLog(reopened)))
                .isEqualTo(CompactionTestSupport.latest(readLog(leader)));
    }

    @Test
    void aSegmentRolledAfterAGapStartsAtTheLogEndSoSegmentsStillTileTheOffsets() throws IOException {
        PartitionLog follower = open("follower");
        follower.appendAsFollower(batchAt(0, "x".repeat(200), 3));
        follower.appendAsFollower(batchAt(10, "y".repeat(200), 3)); // offsets 3..9 were cleaned away

        assertThat(follower.segmentBaseOffsets()).containsExactly(0L, 3L);
        assertThat(follower.logEndOffset()).isEqualTo(13);
        assertThat(readLog(follower)).extracting(CompactionTestSupport.Stored::offset)
                .containsExactly(0L, 1L, 2L, 10L, 11L, 12L);
    }

    @Test
    void aProducerMayNotSendWhatOnlyTheCleanerWrites() throws IOException {
        PartitionLog leader = compactedLeader();
        PartitionLog other = open("other");
        for (MutableRecordBatch batch : batches(leader)) {
            if (batch.countOrNull() != batch.lastOffset() - batch.baseOffset() + 1) {
                assertThatThrownBy(() -> other.append(copy(batch), 0)).isInstanceOfSatisfying(
                        InvalidBatchException.class, e -> assertThat(e.reason()).isEqualTo(InvalidBatchException.Reason.INVALID));
            }
        }
        assertThat(other.logEndOffset()).isZero();
    }

    // ------------------------------------------------------------------------ what a follower still refuses

    @Test
    void aFollowerRefusesACorruptBatch() throws IOException {
        PartitionLog follower = open("follower");
        MemoryRecords badCrc = batchAt(0, "x", 3);
        badCrc.buffer().put(badCrc.sizeInBytes() - 2, (byte) 0x7f);
        assertRefused(follower, badCrc, InvalidBatchException.Reason.CORRUPT, "CRC");

        MemoryRecords truncated = batchAt(0, "x", 3);
        ByteBuffer cut = truncated.buffer();
        cut.limit(cut.limit() - 5);
        assertRefused(follower, MemoryRecords.readableRecords(cut.slice()), InvalidBatchException.Reason.CORRUPT,
                "Truncated");

        MemoryRecords oldMagic = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, 0L, Compression.NONE,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, new SimpleRecord(1L, bytes("k"), bytes("v")));
        assertRefused(follower, oldMagic, InvalidBatchException.Reason.INVALID, "magic");
        assertThat(follower.logEndOffset()).isZero();
    }

    @Test
    void aFollowerRefusesOffsetsThatGoBackwards() throws IOException {
        PartitionLog follower = open("follower");
        follower.appendAsFollower(batchAt(0, "a", 3));

        assertRefused(follower, batchAt(2, "b", 2), InvalidBatchException.Reason.INVALID, "ends at 3");
        assertRefused(follower, LogTestSupport.concat(batchAt(5, "c", 3), batchAt(7, "d", 2)),
                InvalidBatchException.Reason.INVALID, "overlaps");
        assertThat(follower.logEndOffset()).isEqualTo(3);

        follower.appendAsFollower(LogTestSupport.concat(batchAt(5, "c", 3), batchAt(10, "d", 2)));
        assertThat(follower.logEndOffset()).isEqualTo(12);
    }

    @Test
    void aFollowerRefusesRecordsOutsideTheirBatchOrOutOfOrder() throws IOException {
        PartitionLog follower = open("follower");

        MemoryRecords pastLastDelta = batchAt(0, "x", 3);
        pastLastDelta.buffer().putInt(BatchHeader.LAST_OFFSET_DELTA, 1);
        fixCrc(pastLastDelta.buffer());
        assertRefused(follower, pastLastDelta, InvalidBatchException.Reason.INVALID, "last offset delta");

        MemoryRecords moreRecordsThanOffsets = batchAt(0, "x", 3);
        moreRecordsThanOffsets.buffer().putInt(BatchHeader.RECORDS_COUNT, 4);
        fixCrc(moreRecordsThanOffsets.buffer());
        assertRefused(follower, moreRecordsThanOffsets, InvalidBatchException.Reason.INVALID, "4 records");

        MemoryRecords fewerRecordsThanBytes = batchAt(0, "x", 3);
        fewerRecordsThanBytes.buffer().putInt(BatchHeader.RECORDS_COUNT, 2);
        fixCrc(fewerRecordsThanBytes.buffer());
        assertRefused(follower, fewerRecordsThanBytes, InvalidBatchException.Reason.INVALID, "bytes follow");

        MemoryRecords negativeCount = batchAt(0, "x", 3);
        negativeCount.buffer().putInt(BatchHeader.RECORDS_COUNT, -1);
        fixCrc(negativeCount.buffer());
        assertRefused(follower, negativeCount, InvalidBatchException.Reason.INVALID, "-1 records");

        // The second record's offset delta (a one-byte zigzag varint after its length, attributes and
        // timestamp delta) rewritten from 1 to 0: two records claim one offset.
        MemoryRecords repeated = batchAt(0, "x", 3);
        ByteBuffer buffer = repeated.buffer();
        int second = BatchHeader.SIZE + 1 + (buffer.get(BatchHeader.SIZE) >> 1);
        assertThat(buffer.get(second + 3)).isEqualTo((byte) 2);
        buffer.put(second + 3, (byte) 0);
        fixCrc(buffer);
        assertRefused(follower, repeated, InvalidBatchException.Reason.INVALID, "offset delta");

        assertThat(follower.logEndOffset()).isZero();
    }

    // ------------------------------------------------------------------------ helpers

    /** A batch of {@code count} records at {@code baseOffset}, as a leader stored it. */
    private static MemoryRecords batchAt(long baseOffset, String prefix, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(NOW, bytes("k" + i), bytes(prefix + i));
        }
        MemoryRecords batch = MemoryRecords.withRecords(baseOffset, Compression.NONE, records);
        return MemoryRecords.readableRecords(copy(batch.batches().iterator().next()).buffer());
    }

    private static MemoryRecords copy(MutableRecordBatch batch) {
        ByteBuffer buffer = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(buffer);
        return MemoryRecords.readableRecords(buffer.flip());
    }

    private static void fixCrc(ByteBuffer batch) {
        long crc = Crc32C.compute(batch, BatchHeader.ATTRIBUTES, batch.limit() - BatchHeader.ATTRIBUTES);
        batch.putInt(17, (int) crc);
    }

    private static void assertRefused(PartitionLog follower, MemoryRecords records, InvalidBatchException.Reason reason,
            String message) {
        assertThatThrownBy(() -> follower.appendAsFollower(records)).isInstanceOfSatisfying(InvalidBatchException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(message);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
