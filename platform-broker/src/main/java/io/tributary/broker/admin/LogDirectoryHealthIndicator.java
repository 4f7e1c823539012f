package io.tributary.broker.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.unit.DataSize;

/**
 * UP when the data directory is a directory the broker can create and delete a file in, on a file
 * system with at least the configured usable space; DOWN otherwise, with the path, the free space
 * and the threshold as details. Each check writes and deletes a small hidden probe file.
 */
public final class LogDirectoryHealthIndicator implements HealthIndicator {

    private final Path directory;
    private final DataSize minFreeSpace;

    public LogDirectoryHealthIndicator(Path directory, DataSize minFreeSpace) {
        this.directory = directory.toAbsolutePath().normalize();
        this.minFreeSpace = minFreeSpace;
    }

    @Override
    public Health health() {
        Health.Builder builder = Health.up()
                .withDetail("path", directory.toString())
                .withDetail("threshold", minFreeSpace.toBytes());
        if (!Files.isDirectory(directory)) {
            return builder.down().withDetail("writable", false).withDetail("error", "not a directory").build();
        }
        long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return builder.down().withDetail("error", "cannot read the free space: " + e).build();
        }
        builder.withDetail("free", free);
        String probeError = probe();
        builder.withDetail("writable", probeError == null);
        if (probeError != null) {
            return builder.down().withDetail("error", "not writable: " + probeError).build();
        }
        if (free < minFreeSpace.toBytes()) {
            return builder.down().withDetail("error", "free space below the threshold").build();
        }
        return builder.build();
    }

    /** Creates and deletes a file in the directory; null when that worked, else why not. */
    private String probe() {
        try {
            Path probe = Files.createTempFile(directory, ".health-", ".probe");
            Files.delete(probe);
            return null;
        } catch (IOException | SecurityException e) {
            return e.toString();
        }
    }
}
