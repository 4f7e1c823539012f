package io.tributary.broker.metadata;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import io.tributary.broker.log.AtomicFiles;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;

/**
 * The topics of a single-node cluster and the cluster id, durable in {@code <data-dir>/.metadata/}:
 * {@code cluster.properties} and one {@code topics/<name>.properties} per topic, each replaced
 * atomically. A change is on disk before it is visible.
 *
 * <p>Thread-safe: changes are serialized; reads see a consistent snapshot of each topic.
 */
public final class TopicStore {

    public static final String DIRECTORY = ".metadata";

    private final Path dataDir;
    private final Path dir;
    private final Path topicsDir;
    private final String clusterId;
    private final Map<String, TopicInfo> byName = new ConcurrentHashMap<>();
    private final Map<Uuid, TopicInfo> byId = new ConcurrentHashMap<>();

    private TopicStore(Path dataDir) throws IOException {
        this.dataDir = dataDir;
        this.dir = dataDir.resolve(DIRECTORY);
        this.topicsDir = dir.resolve("topics");
        Files.createDirectories(topicsDir);
        Path clusterFile = dir.resolve("cluster.properties");
        if (Files.exists(clusterFile)) {
            clusterId = read(clusterFile).getProperty("cluster.id");
        } else {
            clusterId = Uuid.randomUuid().toString();
            Properties cluster = new Properties();
            cluster.setProperty("version", "0");
            cluster.setProperty("cluster.id", clusterId);
            write(clusterFile, cluster);
        }
        try (Stream<Path> files = Files.list(topicsDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
                TopicInfo topic = parse(read(file));
                byName.put(topic.name(), topic);
                byId.put(topic.id(), topic);
            }
        }
    }

    /** Opens the store in {@code dataDir}, creating it and a new cluster id the first time. */
    public static TopicStore open(Path dataDir) throws IOException {
        return new TopicStore(dataDir);
    }

    public String clusterId() {
        return clusterId;
    }

    /** The data directory this store keeps its {@value #DIRECTORY} directory in. */
    public Path dataDir() {
        return dataDir;
    }

    public Optional<TopicInfo> topic(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<TopicInfo> topic(Uuid id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Collection<TopicInfo> topics() {
        return List.copyOf(byName.values());
    }

    /** Throws {@link MetadataException} with INVALID_TOPIC_EXCEPTION unless {@code name} is a legal topic name. */
    public static void validateName(String name) {
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new MetadataException(Errors.INVALID_TOPIC_EXCEPTION, e.getMessage());
        }
    }

    public synchronized TopicInfo create(String name, int partitionCount, Map<String, String> configs) {
        checkCreatable(name, partitionCount);
        Uuid id = Uuid.randomUuid();
        while (byId.containsKey(id) || id.equals(Uuid.ZERO_UUID)) {
            id = Uuid.randomUuid();
        }
        return save(new TopicInfo(name, id, partitionCount, configs));
    }

    /** Throws {@link MetadataException} with the Kafka error to answer unless such a topic could be created. */
    public void checkCreatable(String name, int partitionCount) {
        validateName(name);
        if (byName.containsKey(name)) {
            throw new MetadataException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        if (partitionCount < 1) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        for (TopicInfo existing : byName.values()) {
            if (Topic.hasCollision(existing.name(), name)) {
                throw new MetadataException(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                        + "' collides with existing topic: " + existing.name());
            }
        }
    }

    public synchronized TopicInfo addPartitions(String name, int newPartitionCount) {
        TopicInfo topic = require(name);
        if (newPartitionCount <= topic.partitionCount()) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Topic currently has " + topic.partitionCount()
                    + " partitions, which is higher than the requested " + newPartitionCount + ".");
        }
        return save(new TopicInfo(name, topic.id(), newPartitionCount, topic.configs()));
    }

    public synchronized TopicInfo replaceConfigs(String name, Map<String, String> configs) {
        TopicInfo topic = require(name);
        return save(new TopicInfo(name, topic.id(), topic.partitionCount(), configs));
    }

    public synchronized void delete(String name) {
        TopicInfo topic = require(name);
        try {
            Files.deleteIfExists(topicsDir.resolve(name + ".properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byName.remove(name);
        byId.remove(topic.id());
    }

    private TopicInfo require(String name) {
        TopicInfo topic = byName.get(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        return topic;
    }

    private TopicInfo save(TopicInfo topic) {
        Properties properties = new Properties();
        properties.setProperty("name", topic.name());
        properties.setProperty("id", topic.id().toString());
        properties.setProperty("partitions", Integer.toString(topic.partitionCount()));
        topic.configs().forEach((key, value) -> properties.setProperty("config." + key, value));
        try {
            write(topicsDir.resolve(topic.name() + ".properties"), properties);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store topic " + topic.name(), e);
        }
        byName.put(topic.name(), topic);
        byId.put(topic.id(), topic);
        return topic;
    }

    private static TopicInfo parse(Properties properties) {
        Map<String, String> configs = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("config.")) {
                configs.put(key.substring("config.".length()), properties.getProperty(key));
            }
        }
        return new TopicInfo(properties.getProperty("name"), Uuid.fromString(properties.getProperty("id")),
                Integer.parseInt(properties.getProperty("partitions")), configs);
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Replaces the file atomically: a crash leaves the old content or the new. */
    private static void write(Path file, Properties properties) throws IOException {
        StringWriter text = new StringWriter();
        properties.store(text, "Tributary metadata");
        AtomicFiles.write(file, text.toString());
    }
}
