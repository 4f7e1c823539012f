package io.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
    private static final String VERSION = "0";

    static Optional<PartitionCheckpoint> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        if (!VERSION.equals(values.get("version"))) {
            throw new IOException("Unreadable partition checkpoint " + file + ": " + values);
        }
        return Optional.of(new PartitionCheckpoint(Long.parseLong(values.get("log-start-offset")),
                Long.parseLong(values.get("high-watermark")), Long.parseLong(values.get("recovery-point"))));
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), "version=" + VERSION + "\nlog-start-offset=" + logStartOffset
                + "\nhigh-watermark=" + highWatermark + "\nrecovery-point=" + recoveryPoint + "\n");
    }
}
