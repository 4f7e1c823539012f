package io.tributary.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.unit.DataSize;

class LogDirectoryHealthIndicatorTest {

    @TempDir
    Path dir;

    @Test
    void upForAWritableDirectoryWithEnoughSpace() {
        Health health = new LogDirectoryHealthIndicator(dir, DataSize.ofBytes(1)).health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("path", dir.toAbsolutePath().normalize().toString())
                .containsEntry("writable", true).containsEntry("threshold", 1L).containsKey("free");
        assertThat(dir).isEmptyDirectory(); // the probe file is gone
    }

    @Test
    void downWhenTheFreeSpaceIsBelowTheThreshold() {
        Health health = new LogDirectoryHealthIndicator(dir, DataSize.ofTerabytes(1_000_000)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKeys("free", "threshold", "path");
        assertThat((long) health.getDetails().get("free")).isLessThan((long) health.getDetails().get("threshold"));
    }

    @Test
    void downWhenThePathIsAFileOrMissing() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");

        assertThat(new LogDirectoryHealthIndicator(file, DataSize.ofBytes(0)).health().getStatus()).isEqualTo(Status.DOWN);
        Health missing = new LogDirectoryHealthIndicator(dir.resolve("missing"), DataSize.ofBytes(0)).health();
        assertThat(missing.getStatus()).isEqualTo(Status.DOWN);
        assertThat(missing.getDetails()).containsEntry("writable", false);
    }

    @Test
    void downWhenTheDirectoryIsReadOnly() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        try (ReadOnlyDirectory ignored = ReadOnlyDirectory.of(readOnly)) {
            Health health = new LogDirectoryHealthIndicator(readOnly, DataSize.ofBytes(0)).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("writable", false);
        }
        assertThat(new LogDirectoryHealthIndicator(readOnly, DataSize.ofBytes(0)).health().getStatus()).isEqualTo(Status.UP);
    }
}
