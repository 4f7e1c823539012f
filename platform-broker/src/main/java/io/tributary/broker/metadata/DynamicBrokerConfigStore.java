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
 * The dynamic broker configs of a single-node cluster, durable in
 * {@code <data-dir>/.metadata/broker-configs.properties}: {@code default.<name>} for the cluster-wide
 * defaults and {@code broker.<id>.<name>} for a broker's own, the file replaced atomically on every
 * change. A change is on disk before it is visible.
 *
 * <p>Thread-safe: changes are serialized; reads see the last configs without locking.
 */
public final class DynamicBrokerConfigStore {

    static final String FILE = "broker-configs.properties";
    private static final String DEFAULT_PREFIX = "default.";
    private static final String BROKER_PREFIX = "broker.";

    private final Path file;
    private volatile DynamicBrokerConfigs configs;

    private DynamicBrokerConfigStore(Path file, DynamicBrokerConfigs configs) {
        this.file = file;
        this.configs = configs;
    }

    /** Opens the store in {@code dataDir}, empty the first time. */
    public static DynamicBrokerConfigStore open(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(TopicStore.DIRECTORY);
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new DynamicBrokerConfigStore(file, DynamicBrokerConfigs.EMPTY);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, Map<String, String>> byResource = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String resource;
            String name;
            if (key.startsWith(DEFAULT_PREFIX)) {
                resource = DynamicBrokerConfigs.CLUSTER_DEFAULT;
                name = key.substring(DEFAULT_PREFIX.length());
            } else if (key.startsWith(BROKER_PREFIX) && key.indexOf('.', BROKER_PREFIX.length()) > 0) {
                int dot = key.indexOf('.', BROKER_PREFIX.length());
                resource = key.substring(BROKER_PREFIX.length(), dot);
                name = key.substring(dot + 1);
            } else {
                throw new IOException("Unexpected key " + key + " in " + file);
            }
            byResource.computeIfAbsent(resource, r -> new HashMap<>()).put(name, properties.getProperty(key));
        }
        return new DynamicBrokerConfigStore(file, new DynamicBrokerConfigs(byResource));
    }

    public DynamicBrokerConfigs configs() {
        return configs;
    }

    /** Replaces one resource's dynamic configs as a whole (an empty map removes them). */
    public synchronized void replace(String resource, Map<String, String> resourceConfigs) {
        DynamicBrokerConfigs changed = configs.with(resource, resourceConfigs);
        Properties properties = new Properties();
        changed.byResource().forEach((name, values) -> values.forEach((key, value) -> properties.setProperty(
                (name.equals(DynamicBrokerConfigs.CLUSTER_DEFAULT) ? DEFAULT_PREFIX : BROKER_PREFIX + name + ".") + key,
                value)));
        try {
            StringWriter text = new StringWriter();
            properties.store(text, "Tributary dynamic broker configs");
            AtomicFiles.write(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the dynamic broker configs", e);
        }
        configs = changed;
    }
}
