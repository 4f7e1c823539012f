package io.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far the cleaner got in a partition, written atomically to {@code cleaner-offset-checkpoint} in
 * the partition's directory after every cleaning, so that a restart does not redo the work.
 *
 * @param firstDirtyOffset every offset below it has been cleaned at least once; the records from
 *                         here on are dirty, their keys not yet deduplicated against the older ones
 */
record CleanerCheckpoint(long firstDirtyOffset) {

    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final String VERSION = "0";

    static Optional<CleanerCheckpoint> read(Path dir) throws IOException {
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
        String offset = values.get("first-dirty-offset");
        if (!VERSION.equals(values.get("version")) || offset == null) {
            throw new IOException("Unreadable cleaner checkpoint " + file + ": " + values);
        }
        return Optional.of(new CleanerCheckpoint(Long.parseLong(offset)));
    }

    void write(Path dir) throws IOException {
        AtomicFiles.write(dir.resolve(FILE_NAME), "version=" + VERSION + "\nfirst-dirty-offset=" + firstDirtyOffset + "\n");
    }
}
