package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Path;
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

    static Optional<CleanerCheckpoint> read(Path dir) throws IOException {
        return CheckpointFile.read(dir.resolve(FILE_NAME), "first-dirty-offset")
                .map(values -> new CleanerCheckpoint(values.get("first-dirty-offset")));
    }

    void write(Path dir) throws IOException {
        CheckpointFile.write(dir.resolve(FILE_NAME), Map.of("first-dirty-offset", firstDirtyOffset));
    }
}
