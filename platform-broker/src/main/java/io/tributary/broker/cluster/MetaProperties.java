package io.tributary.broker.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/**
 * The identity of this node's copy of the metadata log, kept in {@code meta.properties} beside it as
 * Kafka keeps it in its metadata log directory (and in Kafka's format, so that {@code kafka-metadata-quorum
 * add-controller} reads the directory id from it): the cluster id, the node id, and a directory id made
 * when the storage was first used.
 *
 * <p>The cluster id is settled once, when the file is written, and read from it ever after: the voters
 * may change later without changing any node's cluster id. A node whose Raft directory predates this
 * file keeps the id its Raft group was created with; a new node takes {@code tributary.cluster.cluster-id}
 * when set, otherwise the id derived from {@code tributary.cluster.voters} (what every node of a cluster
 * whose voters never changed derives alike).
 *
 * @param clusterId   the cluster, which is also the Raft group of the metadata quorum
 * @param directoryId this storage's id: the same node id on a new disk is another replica of the log
 */
public record MetaProperties(Uuid clusterId, int nodeId, Uuid directoryId) {

    static final String FILE_NAME = "meta.properties";

    /** Reads this node's identity from {@code raftDir}, or settles and writes it on the node's first start. */
    public static MetaProperties loadOrCreate(ClusterProperties cluster, int nodeId, Path raftDir) {
        try {
            Path file = raftDir.resolve(FILE_NAME);
            Optional<Uuid> configured = cluster.configuredClusterId();
            if (Files.exists(file)) {
                MetaProperties existing = read(file);
                if (existing.nodeId() != nodeId) {
                    throw new IllegalStateException("The metadata log in " + raftDir + " belongs to node "
                            + existing.nodeId() + ", not to node " + nodeId);
                }
                requireSameCluster(configured, existing.clusterId(), raftDir);
                return existing;
            }
            Optional<Uuid> groupInStorage = existingRaftGroup(raftDir);
            groupInStorage.ifPresent(id -> requireSameCluster(configured, id, raftDir));
            Uuid clusterId = groupInStorage.or(() -> configured).orElseGet(() -> toUuid(cluster.clusterUuid()));
            MetaProperties created = new MetaProperties(clusterId, nodeId, Uuid.randomUuid());
            created.write(file);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + raftDir.resolve(FILE_NAME), e);
        }
    }

    /** The cluster id as the Raft group's id. */
    public UUID clusterUuid() {
        return new UUID(clusterId.getMostSignificantBits(), clusterId.getLeastSignificantBits());
    }

    static Uuid toUuid(UUID uuid) {
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    private static void requireSameCluster(Optional<Uuid> configured, Uuid stored, Path raftDir) {
        if (configured.isPresent() && !configured.get().equals(stored)) {
            throw new IllegalStateException("The metadata log in " + raftDir + " is of cluster " + stored
                    + ", but tributary.cluster.cluster-id is " + configured.get());
        }
    }

    /** The id of the Raft group whose directory Ratis made in {@code raftDir} before this file existed. */
    private static Optional<Uuid> existingRaftGroup(Path raftDir) throws IOException {
        if (!Files.isDirectory(raftDir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(raftDir, Files::isDirectory)) {
            for (Path entry : entries) {
                try {
                    return Optional.of(toUuid(UUID.fromString(entry.getFileName().toString())));
                } catch (IllegalArgumentException notAGroup) {
                    // Ratis ignores such directories too.
                }
            }
        }
        return Optional.empty();
    }

    private static MetaProperties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        String clusterId = properties.getProperty("cluster.id");
        String nodeId = properties.getProperty("node.id");
        String directoryId = properties.getProperty("directory.id");
        if (clusterId == null || nodeId == null || directoryId == null) {
            throw new IllegalStateException(file + " lacks cluster.id, node.id or directory.id");
        }
        return new MetaProperties(Uuid.fromString(clusterId), Integer.parseInt(nodeId), Uuid.fromString(directoryId));
    }

    private void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Properties properties = new Properties();
        properties.setProperty("version", "1");
        properties.setProperty("cluster.id", clusterId.toString());
        properties.setProperty("node.id", Integer.toString(nodeId));
        properties.setProperty("directory.id", directoryId.toString());
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            properties.store(out, "Written by Tributary when this node's metadata log was first used; do not edit");
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
