package io.tributary.broker.metadata;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import io.tributary.broker.log.AtomicFiles;

/**
 * The group configs of a single-node cluster, durable in {@code <data-dir>/.metadata/group-configs.properties}
 * as {@code <group id>/<config name>} keys: a config name never holds a slash, so the last one splits
 * the key whatever the group id holds. The file is replaced atomically on every change, and a change is
 * on disk before it is visible.
 *
 * <p>Thread-safe: changes are serialized; reads see the last configs without locking.
 */
public final class GroupConfigStore {

    static final String FILE = "group-configs.properties";

    private final Path file;
    private volatile GroupConfigOverrides configs;

    private GroupConfigStore(Path file, GroupConfigOverrides configs) {
        this.file = file;
        this.configs = configs;
    }

    /** Opens the store in {@code dataDir}, empty the first time. */
    public static GroupConfigStore open(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(TopicStore.DIRECTORY);
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new GroupConfigStore(file, GroupConfigOverrides.EMPTY);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, Map<String, String>> byGroup = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            int slash = key.lastIndexOf('/');
            if (slash <= 0 || slash == key.length() - 1) {
                throw new IOException("Unexpected key " + key + " in " + file);
            }
            byGroup.computeIfAbsent(key.substring(0, slash), g -> new HashMap<>())
                    .put(key.substring(slash + 1), properties.getProperty(key));
        }
        return new GroupConfigStore(file, new GroupConfigOverrides(byGroup));
    }

    public GroupConfigOverrides configs() {
        return configs;
    }

    /** Replaces one group's configs as a whole (an empty map removes them). */
    public synchronized void replace(String groupId, Map<String, String> groupConfigs) {
        GroupConfigOverrides changed = configs.with(groupId, groupConfigs);
        Properties properties = new Properties();
        changed.byGroup().forEach((group, values) -> values.forEach((name, value) ->
                properties.setProperty(group + "/" + name, value)));
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "Tributary group configs");
            AtomicFiles.write(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the group configs", e);
        }
        configs = changed;
    }
}
