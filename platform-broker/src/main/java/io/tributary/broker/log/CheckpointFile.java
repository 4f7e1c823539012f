package io.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one format of the log's small checkpoint files: {@code key=value} lines starting with a
 * {@code version}, replaced atomically. A file of another version, or missing a key, is refused
 * rather than guessed at.
 */
final class CheckpointFile {

    private static final String VERSION = "0";

    private CheckpointFile() {
    }

    /** The values of the file, or empty when it does not exist. */
    static Optional<Map<String, Long>> read(Path file, String... keys) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<String, String> text = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                text.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        Map<String, Long> values = new LinkedHashMap<>();
        try {
            if (!VERSION.equals(text.get("version"))) {
                throw new IllegalArgumentException("version");
            }
            for (String key : keys) {
                values.put(key, Long.parseLong(text.get(key)));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException("Unreadable checkpoint " + file + ": " + text);
        }
        return Optional.of(values);
    }

    static void write(Path file, Map<String, Long> values) throws IOException {
        StringBuilder text = new StringBuilder("version=").append(VERSION).append('\n');
        values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        AtomicFiles.write(file, text.toString());
    }
}
