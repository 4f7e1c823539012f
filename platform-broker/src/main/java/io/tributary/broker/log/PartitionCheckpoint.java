package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The offsets of a partition that must survive a restart, written together and atomically to
 * {@code partition.checkpoint}.
 *
 * @param logStartOffset the first offset still readable (moved by retention and DeleteRecords)
 * @param highWatermark  the offset up to which records are committed and visible to consumers
 * @param recoveryPoint  every offset below it was flushed to disk: recovery scans only from here
 */
record PartitionCheckpoint(long logStartOffset, long highWatermark, long recoveryPoint) {

    static final String FILE_NAME = "partition.checkpoint";

    static Optional<PartitionCheckpoint> read(Path dir) throws IOException {
        return CheckpointFile.read(dir.resolve(FILE_NAME), "log-start-offset", "high-watermark", "recovery-point")
                .map(values -> new PartitionCheckpoint(values.get("log-start-offset"), values.get("high-watermark"),
                        values.get("recovery-point")));
    }

    void write(Path dir) throws IOException {
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("log-start-offset", logStartOffset);
        values.put("high-watermark", highWatermark);
        values.put("recovery-point", recoveryPoint);
        CheckpointFile.write(dir.resolve(FILE_NAME), values);
    }
}
