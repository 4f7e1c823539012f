package io.tributary.broker.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.AllocateProducerIds;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.DeleteAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.DeleteTopic;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.ReplaceBrokerConfigs;
import io.tributary.broker.cluster.MetadataCommand.ReplaceGroupConfigs;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
import io.tributary.broker.cluster.MetadataCommand.ReplaceConfigs;
import io.tributary.broker.cluster.MetadataCommand.UnregisterBroker;
import io.tributary.broker.metadata.AdvertisedListener;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.GroupConfigOverrides;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.SecurityCodec;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * The bytes of commands, results and snapshots: a type tag, then the fields in order. Every
 * encoding starts with a version byte so that a later release can still read what this one wrote.
 */
public final class MetadataCodec {

    private static final byte VERSION = 0;
    /** Snapshots since brokers register their HTTP port; version 0 snapshots are still read. */
    private static final byte IMAGE_VERSION_HTTP_PORT = 1;
    /**
     * Snapshots with each broker's listeners, and the ACLs and SCRAM credentials at their end;
     * versions 0 and 1 are read as having no listeners (one endpoint per broker), ACLs or users.
     */
    private static final byte IMAGE_VERSION_SECURITY = 2;
    /**
     * Snapshots with each partition's replicas being added and removed by a move in progress, after
     * its ISR; older versions are read as having no move in progress.
     */
    private static final byte IMAGE_VERSION_REASSIGNMENTS = 3;
    /** Version 3's content, then the dynamic broker configs; older versions are read as having none. */
    private static final byte IMAGE_VERSION_BROKER_CONFIGS = 4;
    /** Version 4's content, then the nodes' metadata log directory ids; older versions are read without any. */
    private static final byte IMAGE_VERSION_METADATA_LOG_DIRECTORIES = 5;
    /** Version 5's content, then each broker's rack; older versions are read as brokers in no rack. */
    private static final byte IMAGE_VERSION_RACKS = 6;
    /**
     * Version 6's content, then each broker's epoch; older versions are read with every epoch unknown,
     * which the controller's check of an ISR change (KIP-903) passes until the broker registers again.
     */
    private static final byte IMAGE_VERSION_BROKER_EPOCHS = 7;
    /** Version 7's content, then the group configs; older versions are read as having none. */
    private static final byte IMAGE_VERSION_GROUP_CONFIGS = 8;
    private static final byte IMAGE_VERSION = IMAGE_VERSION_GROUP_CONFIGS;

    private MetadataCodec() {
    }

    public static byte[] encode(MetadataCommand command) {
        return write(out -> {
            out.writeByte(VERSION);
            if (command instanceof RegisterBroker c) {
                // Type 23 is type 14 with the rack, type 14 is type 9 with the listeners, type 9 is type 1 with
                // the HTTP port; the older ones are still read, as written before.
                out.writeByte(23);
                out.writeInt(c.nodeId());
                out.writeUTF(c.host());
                out.writeInt(c.port());
                out.writeInt(c.httpPort());
                writeListeners(out, c.listeners());
                writeNullableString(out, c.rack());
            } else if (command instanceof FenceBroker c) {
                out.writeByte(2);
                out.writeInt(c.nodeId());
            } else if (command instanceof CreateTopic c) {
                writeAssignedTag(out, c.assignments());
                out.writeByte(3);
                out.writeUTF(c.name());
                writeUuid(out, c.id());
                out.writeInt(c.partitions());
                out.writeInt(c.replicationFactor());
                writeMap(out, c.configs());
                writeAssignments(out, c.assignments());
            } else if (command instanceof CreatePartitions c) {
                writeAssignedTag(out, c.assignments());
                out.writeByte(4);
                out.writeUTF(c.name());
                out.writeInt(c.partitionCount());
                writeAssignments(out, c.assignments());
            } else if (command instanceof ReplaceConfigs c) {
                out.writeByte(5);
                out.writeUTF(c.name());
                writeMap(out, c.configs());
            } else if (command instanceof DeleteTopic c) {
                out.writeByte(6);
                out.writeUTF(c.name());
            } else if (command instanceof AllocateProducerIds c) {
                out.writeByte(7);
                out.writeInt(c.nodeId());
            } else if (command instanceof AlterPartition c) {
                // Type 24 is type 8 with each replica's broker epoch (KIP-903); a change that knows none keeps
                // type 8, which older brokers read too. Type 8 is read as a change with no epoch known.
                out.writeByte(c.hasBrokerEpochs() ? 24 : 8);
                out.writeUTF(c.topic());
                out.writeInt(c.partition());
                out.writeInt(c.leaderId());
                out.writeInt(c.leaderEpoch());
                writeInts(out, c.isr());
                if (c.hasBrokerEpochs()) {
                    writeLongs(out, c.brokerEpochs());
                }
            } else if (command instanceof CreateAcls c) {
                out.writeByte(10);
                SecurityCodec.writeAcls(out, c.acls());
            } else if (command instanceof DeleteAcls c) {
                out.writeByte(11);
                SecurityCodec.writeAcls(out, c.acls());
            } else if (command instanceof PutScramCredential c) {
                out.writeByte(12);
                SecurityCodec.writeKey(out, c.key());
                SecurityCodec.writeCredential(out, c.credential());
                out.writeBoolean(c.onlyIfAbsent());
            } else if (command instanceof DeleteScramCredential c) {
                out.writeByte(13);
                SecurityCodec.writeKey(out, c.key());
            } else if (command instanceof ElectLeader c) {
                out.writeByte(18);
                out.writeUTF(c.topic());
                out.writeInt(c.partition());
                out.writeByte(c.type().value);
            } else if (command instanceof ReplaceBrokerConfigs c) {
                out.writeByte(19);
                out.writeUTF(c.resource());
                writeMap(out, c.configs());
            } else if (command instanceof ReplaceGroupConfigs c) {
                out.writeByte(25);
                out.writeUTF(c.groupId());
                writeMap(out, c.configs());
            } else if (command instanceof ReassignPartition c) {
                out.writeByte(15);
                out.writeUTF(c.topic());
                out.writeInt(c.partition());
                out.writeBoolean(c.target() != null);
                if (c.target() != null) {
                    writeInts(out, c.target());
                }
                out.writeBoolean(c.allowReplicationFactorChange());
            } else if (command instanceof UnregisterBroker c) {
                out.writeByte(17);
                out.writeInt(c.nodeId());
            } else if (command instanceof RegisterMetadataLogDirectory c) {
                out.writeByte(21);
                out.writeInt(c.nodeId());
                writeUuid(out, c.directoryId());
            } else {
                throw new IllegalArgumentException("Unknown command " + command);
            }
        });
    }

    public static MetadataCommand decodeCommand(byte[] bytes) {
        return read(bytes, in -> {
            byte type = in.readByte();
            return switch (type) {
                case 1 -> new RegisterBroker(in.readInt(), in.readUTF(), in.readInt());
                case 2 -> new FenceBroker(in.readInt());
                case 3 -> new CreateTopic(in.readUTF(), readUuid(in), in.readInt(), in.readInt(), readMap(in));
                case 4 -> new CreatePartitions(in.readUTF(), in.readInt());
                case 5 -> new ReplaceConfigs(in.readUTF(), readMap(in));
                case 6 -> new DeleteTopic(in.readUTF());
                case 7 -> new AllocateProducerIds(in.readInt());
                case 8 -> new AlterPartition(in.readUTF(), in.readInt(), in.readInt(), in.readInt(), readInts(in));
                case 24 -> new AlterPartition(in.readUTF(), in.readInt(), in.readInt(), in.readInt(), readInts(in),
                        readLongs(in));
                case 9 -> new RegisterBroker(in.readInt(), in.readUTF(), in.readInt(), in.readInt());
                case 14 -> new RegisterBroker(in.readInt(), in.readUTF(), in.readInt(), in.readInt(), readListeners(in));
                case 23 -> new RegisterBroker(in.readInt(), in.readUTF(), in.readInt(), in.readInt(), readListeners(in),
                        readNullableString(in));
                case 10 -> new CreateAcls(SecurityCodec.readAcls(in));
                case 11 -> new DeleteAcls(SecurityCodec.readAcls(in));
                case 12 -> new PutScramCredential(SecurityCodec.readKey(in), SecurityCodec.readCredential(in),
                        in.readBoolean());
                case 13 -> new DeleteScramCredential(SecurityCodec.readKey(in));
                case 18 -> new ElectLeader(in.readUTF(), in.readInt(), ElectionType.valueOf(in.readByte()));
                case 19 -> new ReplaceBrokerConfigs(in.readUTF(), readMap(in));
                case 25 -> new ReplaceGroupConfigs(in.readUTF(), readMap(in));
                case 15 -> new ReassignPartition(in.readUTF(), in.readInt(), in.readBoolean() ? readInts(in) : null,
                        in.readBoolean());
                case 16 -> readAssigned(in);
                case 17 -> new UnregisterBroker(in.readInt());
                case 21 -> new RegisterMetadataLogDirectory(in.readInt(), readUuid(in));
                default -> throw new IOException("Unknown metadata command type " + type);
            };
        });
    }

    /**
     * Type 16 marks a creation with a manual assignment: type 3 or 4 follows with its fields, then the
     * replicas of each partition. Creations without one keep their old encoding, readable by older brokers.
     */
    private static void writeAssignedTag(DataOutput out, List<List<Integer>> assignments) throws IOException {
        if (!assignments.isEmpty()) {
            out.writeByte(16);
        }
    }

    private static void writeAssignments(DataOutput out, List<List<Integer>> assignments) throws IOException {
        if (assignments.isEmpty()) {
            return;
        }
        out.writeInt(assignments.size());
        for (List<Integer> replicas : assignments) {
            writeInts(out, replicas);
        }
    }

    private static MetadataCommand readAssigned(DataInput in) throws IOException {
        byte type = in.readByte();
        return switch (type) {
            case 3 -> new CreateTopic(in.readUTF(), readUuid(in), in.readInt(), in.readInt(), readMap(in),
                    readAssignments(in));
            case 4 -> new CreatePartitions(in.readUTF(), in.readInt(), readAssignments(in));
            default -> throw new IOException("Unknown assigned creation type " + type);
        };
    }

    private static List<List<Integer>> readAssignments(DataInput in) throws IOException {
        int size = in.readInt();
        List<List<Integer>> assignments = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            assignments.add(readInts(in));
        }
        return assignments;
    }

    public static byte[] encode(CommandResult result) {
        return write(out -> {
            out.writeByte(VERSION);
            out.writeShort(result.error().code());
            out.writeBoolean(result.message() != null);
            if (result.message() != null) {
                out.writeUTF(result.message());
            }
            out.writeLong(result.value());
        });
    }

    public static CommandResult decodeResult(byte[] bytes) {
        return read(bytes, in -> new CommandResult(Errors.forCode(in.readShort()), in.readBoolean() ? in.readUTF() : null,
                in.readLong()));
    }

    public static void writeImage(DataOutput out, MetadataImage image) throws IOException {
        out.writeByte(IMAGE_VERSION);
        out.writeInt(image.brokers().size());
        for (BrokerRegistration broker : image.brokers().values()) {
            out.writeInt(broker.nodeId());
            out.writeUTF(broker.host());
            out.writeInt(broker.port());
            out.writeInt(broker.httpPort());
            out.writeBoolean(broker.fenced());
            writeListeners(out, broker.listeners());
        }
        out.writeInt(image.topics().size());
        for (TopicState topic : image.topics().values()) {
            TopicInfo info = topic.info();
            out.writeUTF(info.name());
            writeUuid(out, info.id());
            writeMap(out, info.configs());
            out.writeInt(topic.partitions().size());
            for (PartitionState partition : topic.partitions()) {
                out.writeInt(partition.leader());
                out.writeInt(partition.leaderEpoch());
                writeInts(out, partition.replicas());
                writeInts(out, partition.isr());
                writeInts(out, partition.adding());
                writeInts(out, partition.removing());
            }
        }
        out.writeLong(image.nextProducerId());
        out.writeLong(image.placementCursor());
        SecurityCodec.writeImage(out, image.security());
        writeBrokerConfigs(out, image.brokerConfigs());
        writeMetadataLogDirectories(out, image.metadataLogDirectories());
        writeRacks(out, image);
        writeBrokerEpochs(out, image);
        writeGroupConfigs(out, image.groupConfigs());
    }

    /** The section of image version 8: each group with its configs. */
    private static void writeGroupConfigs(DataOutput out, GroupConfigOverrides configs) throws IOException {
        out.writeInt(configs.byGroup().size());
        for (Map.Entry<String, Map<String, String>> group : configs.byGroup().entrySet()) {
            out.writeUTF(group.getKey());
            writeMap(out, group.getValue());
        }
    }

    private static GroupConfigOverrides readGroupConfigs(DataInput in) throws IOException {
        Map<String, Map<String, String>> byGroup = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            byGroup.put(in.readUTF(), readMap(in));
        }
        return new GroupConfigOverrides(byGroup);
    }

    /** The section of image version 7: the epoch of each broker whose epoch is known. */
    private static void writeBrokerEpochs(DataOutput out, MetadataImage image) throws IOException {
        List<BrokerRegistration> known = image.brokers().values().stream()
                .filter(b -> b.epoch() != BrokerRegistration.UNKNOWN_EPOCH).toList();
        out.writeInt(known.size());
        for (BrokerRegistration broker : known) {
            out.writeInt(broker.nodeId());
            out.writeLong(broker.epoch());
        }
    }

    private static void readBrokerEpochs(DataInput in, Map<Integer, BrokerRegistration> brokers) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            int nodeId = in.readInt();
            long epoch = in.readLong();
            brokers.computeIfPresent(nodeId, (id, broker) -> broker.withEpoch(epoch));
        }
    }

    /** The section of image version 6: the rack of each broker that has one. */
    private static void writeRacks(DataOutput out, MetadataImage image) throws IOException {
        List<BrokerRegistration> inRacks = image.brokers().values().stream().filter(b -> b.rack() != null).toList();
        out.writeInt(inRacks.size());
        for (BrokerRegistration broker : inRacks) {
            out.writeInt(broker.nodeId());
            out.writeUTF(broker.rack());
        }
    }

    private static void readRacks(DataInput in, Map<Integer, BrokerRegistration> brokers) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            int nodeId = in.readInt();
            String rack = in.readUTF();
            brokers.computeIfPresent(nodeId, (id, broker) -> broker.inRack(rack));
        }
    }

    private static void writeNullableString(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullableString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    public static MetadataImage readImage(DataInput in) throws IOException {
        byte version = in.readByte();
        if (version < VERSION || version > IMAGE_VERSION) {
            throw new IOException("Unknown metadata snapshot version " + version);
        }
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            int nodeId = in.readInt();
            String host = in.readUTF();
            int port = in.readInt();
            int httpPort = version < IMAGE_VERSION_HTTP_PORT ? BrokerRegistration.NO_HTTP_PORT : in.readInt();
            boolean fenced = in.readBoolean();
            List<AdvertisedListener> listeners = version >= IMAGE_VERSION_SECURITY ? readListeners(in) : List.of();
            BrokerRegistration broker = new BrokerRegistration(nodeId, host, port, httpPort, fenced, listeners);
            brokers.put(broker.nodeId(), broker);
        }
        Map<String, TopicState> topics = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            String name = in.readUTF();
            Uuid id = readUuid(in);
            Map<String, String> configs = readMap(in);
            int count = in.readInt();
            List<PartitionState> partitions = new ArrayList<>(count);
            for (int p = 0; p < count; p++) {
                int leader = in.readInt();
                int leaderEpoch = in.readInt();
                List<Integer> replicas = readInts(in);
                List<Integer> isr = readInts(in);
                boolean moves = version >= IMAGE_VERSION_REASSIGNMENTS;
                partitions.add(new PartitionState(leader, leaderEpoch, replicas, isr, moves ? readInts(in) : List.of(),
                        moves ? readInts(in) : List.of()));
            }
            topics.put(name, new TopicState(new TopicInfo(name, id, count, configs), partitions));
        }
        long nextProducerId = in.readLong();
        long placementCursor = in.readLong();
        SecurityImage security = version >= IMAGE_VERSION_SECURITY ? SecurityCodec.readImage(in) : SecurityImage.EMPTY;
        DynamicBrokerConfigs brokerConfigs = version >= IMAGE_VERSION_BROKER_CONFIGS ? readBrokerConfigs(in)
                : DynamicBrokerConfigs.EMPTY;
        Map<Integer, Uuid> metadataLogDirectories = version >= IMAGE_VERSION_METADATA_LOG_DIRECTORIES
                ? readMetadataLogDirectories(in) : Map.of();
        if (version >= IMAGE_VERSION_RACKS) {
            readRacks(in, brokers);
        }
        if (version >= IMAGE_VERSION_BROKER_EPOCHS) {
            readBrokerEpochs(in, brokers);
        }
        GroupConfigOverrides groupConfigs = version >= IMAGE_VERSION_GROUP_CONFIGS ? readGroupConfigs(in)
                : GroupConfigOverrides.EMPTY;
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    /** The section of image version 4: each broker config resource with its dynamic configs. */
    private static void writeBrokerConfigs(DataOutput out, DynamicBrokerConfigs configs) throws IOException {
        out.writeInt(configs.byResource().size());
        for (Map.Entry<String, Map<String, String>> resource : configs.byResource().entrySet()) {
            out.writeUTF(resource.getKey());
            writeMap(out, resource.getValue());
        }
    }

    private static DynamicBrokerConfigs readBrokerConfigs(DataInput in) throws IOException {
        Map<String, Map<String, String>> byResource = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            byResource.put(in.readUTF(), readMap(in));
        }
        return new DynamicBrokerConfigs(byResource);
    }

    /** The section of image version 5: the directory id of each node's metadata log. */
    private static void writeMetadataLogDirectories(DataOutput out, Map<Integer, Uuid> directories) throws IOException {
        out.writeInt(directories.size());
        for (Map.Entry<Integer, Uuid> directory : directories.entrySet()) {
            out.writeInt(directory.getKey());
            writeUuid(out, directory.getValue());
        }
    }

    private static Map<Integer, Uuid> readMetadataLogDirectories(DataInput in) throws IOException {
        Map<Integer, Uuid> directories = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            directories.put(in.readInt(), readUuid(in));
        }
        return directories;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IOException("Unknown metadata encoding version " + version);
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Corrupt metadata entry", e);
        }
    }

    private static void writeUuid(DataOutput out, Uuid id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static Uuid readUuid(DataInput in) throws IOException {
        return new Uuid(in.readLong(), in.readLong());
    }

    private static void writeMap(DataOutput out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            out.writeUTF(entry.getKey());
            out.writeUTF(entry.getValue());
        }
    }

    private static Map<String, String> readMap(DataInput in) throws IOException {
        Map<String, String> map = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            map.put(in.readUTF(), in.readUTF());
        }
        return map;
    }

    private static void writeListeners(DataOutput out, List<AdvertisedListener> listeners) throws IOException {
        out.writeInt(listeners.size());
        for (AdvertisedListener listener : listeners) {
            out.writeUTF(listener.name());
            out.writeUTF(listener.host());
            out.writeInt(listener.port());
        }
    }

    private static List<AdvertisedListener> readListeners(DataInput in) throws IOException {
        int size = in.readInt();
        List<AdvertisedListener> listeners = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            listeners.add(new AdvertisedListener(in.readUTF(), in.readUTF(), in.readInt()));
        }
        return listeners;
    }

    private static void writeInts(DataOutput out, List<Integer> values) throws IOException {
        out.writeInt(values.size());
        for (int value : values) {
            out.writeInt(value);
        }
    }

    private static void writeLongs(DataOutput out, List<Long> values) throws IOException {
        out.writeInt(values.size());
        for (long value : values) {
            out.writeLong(value);
        }
    }

    private static List<Long> readLongs(DataInput in) throws IOException {
        int size = in.readInt();
        List<Long> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readLong());
        }
        return values;
    }

    private static List<Integer> readInts(DataInput in) throws IOException {
        int size = in.readInt();
        List<Integer> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(in.readInt());
        }
        return values;
    }
}
