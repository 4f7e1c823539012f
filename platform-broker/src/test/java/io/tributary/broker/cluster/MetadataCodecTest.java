package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.ReplaceBrokerConfigs;
import io.tributary.broker.cluster.MetadataCommand.ReplaceGroupConfigs;
import io.tributary.broker.metadata.GroupConfigOverrides;
import io.tributary.broker.metadata.SecurityCodec;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.UnregisterBroker;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import org.apache.kafka.common.Uuid;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

/**
 * What brokers write to the Raft log and snapshots stays readable across the additions of the HTTP
 * port, of ACLs and SCRAM credentials, of dynamic broker configs, of partition moves and of group configs.
 */
class MetadataCodecTest {

    private static final AclBinding READ_ORDERS = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "orders-", PatternType.PREFIXED),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
    private static final AclBinding DENY_WRITE = new AclBinding(
            new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL),
            new AccessControlEntry("User:*", "10.0.0.1", AclOperation.WRITE, AclPermissionType.DENY));
    private static final ScramCredentialKey ALICE = new ScramCredentialKey("alice", ScramMechanism.SCRAM_SHA_512);
    private static final ScramCredentialData CREDENTIAL = new ScramCredentialData(new byte[] {1, 2}, new byte[] {3},
            new byte[] {4, 5, 6}, 4096);

    @Test
    void securityCommandsRoundTrip() {
        List<MetadataCommand> commands = List.of(new CreateAcls(List.of(READ_ORDERS, DENY_WRITE)),
                new DeleteAcls(List.of(DENY_WRITE)), new PutScramCredential(ALICE, CREDENTIAL, true),
                new DeleteScramCredential(new ScramCredentialKey("bob", ScramMechanism.SCRAM_SHA_256)));
        for (MetadataCommand command : commands) {
            assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        }
    }

    @Test
    void snapshotsKeepAclsAndCredentials() throws IOException {
        SecurityImage security = new SecurityImage(Set.of(READ_ORDERS, DENY_WRITE), Map.of(ALICE, CREDENTIAL));
        MetadataImage image = new MetadataImage(Map.of(), Map.of(), 7, 3, security, DynamicBrokerConfigs.EMPTY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.security()).isEqualTo(security);
        assertThat(read.nextProducerId()).isEqualTo(7);
    }

    @Test
    void aVersionOneSnapshotIsReadWithoutAclsOrCredentials() throws IOException {
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(1);
        out.writeInt(1);
        out.writeInt(0);
        out.writeUTF("h");
        out.writeInt(9092);
        out.writeInt(18080);
        out.writeBoolean(false);
        out.writeInt(0); // topics
        out.writeLong(7);
        out.writeLong(3);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(read.brokers().get(0).httpPort()).isEqualTo(18080);
        assertThat(read.placementCursor()).isEqualTo(3);
        assertThat(read.security()).isEqualTo(SecurityImage.EMPTY);
    }

    @Test
    void aRegistrationCarriesTheBrokersHttpPort() {
        RegisterBroker register = new RegisterBroker(2, "broker-2", 9092, 8080);
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(register))).isEqualTo(register);
    }

    @Test
    void aRegistrationWrittenBeforeHttpPortsIsStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(0); // version
        out.writeByte(1); // RegisterBroker, as written before the HTTP port
        out.writeInt(1);
        out.writeUTF("broker-1");
        out.writeInt(9093);
        assertThat(MetadataCodec.decodeCommand(bytes.toByteArray()))
                .isEqualTo(new RegisterBroker(1, "broker-1", 9093, BrokerRegistration.NO_HTTP_PORT));
    }

    @Test
    void snapshotsKeepTheHttpPortAndVersionZeroSnapshotsAreStillRead() throws IOException {
        BrokerRegistration broker = new BrokerRegistration(0, "h", 9092, 18080, false);
        MetadataImage image = new MetadataImage(Map.of(0, broker), Map.of(), 7, 3, SecurityImage.EMPTY, DynamicBrokerConfigs.EMPTY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.brokers().get(0)).isEqualTo(broker);

        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(0);
        out.writeInt(1);
        out.writeInt(0);
        out.writeUTF("h");
        out.writeInt(9092);
        out.writeBoolean(true);
        out.writeInt(0); // topics
        out.writeLong(7);
        out.writeLong(3);
        MetadataImage fromOld = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(fromOld.brokers().get(0))
                .isEqualTo(new BrokerRegistration(0, "h", 9092, BrokerRegistration.NO_HTTP_PORT, true));
        assertThat(fromOld.nextProducerId()).isEqualTo(7);
    }

    @Test
    void electionsAndBrokerConfigCommandsRoundTrip() {
        List<MetadataCommand> commands = List.of(new ElectLeader("orders", 3, ElectionType.PREFERRED),
                new ElectLeader("orders", 0, ElectionType.UNCLEAN),
                new ReplaceBrokerConfigs("", Map.of("leader.replication.throttled.rate", "1048576")),
                new ReplaceBrokerConfigs("2", Map.of()));
        for (MetadataCommand command : commands) {
            assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        }
    }

    @Test
    void snapshotsKeepTheDynamicBrokerConfigsAndVersionTwoSnapshotsAreReadWithoutThem() throws IOException {
        SecurityImage security = new SecurityImage(Set.of(READ_ORDERS), Map.of(ALICE, CREDENTIAL));
        DynamicBrokerConfigs configs = new DynamicBrokerConfigs(Map.of("", Map.of("unclean.leader.election.enable", "true"),
                "1", Map.of("follower.replication.throttled.rate", "10", "leader.replication.throttled.rate", "20")));
        MetadataImage image = new MetadataImage(Map.of(), Map.of(), 7, 3, security, configs);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        assertThat(bytes.toByteArray()[0]).as("image version").isEqualTo((byte) 8);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(image);

        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(2);
        out.writeInt(1);
        out.writeInt(0);
        out.writeUTF("h");
        out.writeInt(9092);
        out.writeInt(18080);
        out.writeBoolean(false);
        out.writeInt(1); // listeners
        out.writeUTF("PLAINTEXT");
        out.writeUTF("h");
        out.writeInt(9092);
        out.writeInt(0); // topics
        out.writeLong(7);
        out.writeLong(3);
        SecurityCodec.writeImage(out, security);
        MetadataImage fromVersionTwo = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(fromVersionTwo.security()).isEqualTo(security);
        assertThat(fromVersionTwo.brokers().get(0).listeners()).hasSize(1);
        assertThat(fromVersionTwo.brokerConfigs()).isEqualTo(DynamicBrokerConfigs.EMPTY);
    }

    @Test
    void groupConfigCommandsRoundTrip() {
        List<MetadataCommand> commands = List.of(
                new ReplaceGroupConfigs("orders/g 1", Map.of("share.auto.offset.reset", "by_duration:PT1H",
                        "share.record.lock.duration.ms", "20000")),
                new ReplaceGroupConfigs("g", Map.of()));
        for (MetadataCommand command : commands) {
            assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        }
    }

    @Test
    void snapshotsKeepTheGroupConfigsAndVersionSevenSnapshotsAreReadWithoutThem() throws IOException {
        GroupConfigOverrides groups = new GroupConfigOverrides(Map.of("a", Map.of("share.isolation.level", "read_committed"),
                "b", Map.of("share.auto.offset.reset", "earliest", "consumer.session.timeout.ms", "50000")));
        MetadataImage image = MetadataImage.EMPTY.withGroupConfigs(groups);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(image);
        assertThat(read.groupConfigs().group("b")).containsEntry("share.auto.offset.reset", "earliest");

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(empty), MetadataImage.EMPTY);
        byte[] version8 = empty.toByteArray();
        byte[] version7 = java.util.Arrays.copyOf(version8, version8.length - 4); // without the group count
        version7[0] = 7;
        MetadataImage fromVersionSeven = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(version7)));
        assertThat(fromVersionSeven.groupConfigs()).isEqualTo(GroupConfigOverrides.EMPTY);
    }

    @Test
    void aGroupConfigCommandReplacesThatGroupsConfigsAsAWhole() {
        ClusterState state = new ClusterState(MetadataImage.EMPTY);
        state.apply(new ReplaceGroupConfigs("a", Map.of("share.auto.offset.reset", "earliest")));
        state.apply(new ReplaceGroupConfigs("b", Map.of("share.isolation.level", "read_committed")));
        GroupConfigOverrides before = state.image().groupConfigs();
        state.apply(new MetadataCommand.CreateAcls(List.of(READ_ORDERS)));
        assertThat(state.image().groupConfigs()).as("the same instance while unchanged").isSameAs(before);

        state.apply(new ReplaceGroupConfigs("a", Map.of("share.record.lock.duration.ms", "20000")));
        state.apply(new ReplaceGroupConfigs("b", Map.of()));
        assertThat(state.image().groupConfigs().byGroup())
                .isEqualTo(Map.of("a", Map.of("share.record.lock.duration.ms", "20000")));
    }

    @Test
    void moveAndRetirementCommandsAndManualAssignmentsRoundTrip() {
        List<MetadataCommand> commands = List.of(new ReassignPartition("t", 3, List.of(4, 1, 2), false),
                new ReassignPartition("t", 0, null, true), new UnregisterBroker(4),
                CreateTopic.assigned("t", Uuid.randomUuid(), List.of(List.of(0, 1), List.of(1, 2)), Map.of("a", "b")),
                new CreatePartitions("t", 4, List.of(List.of(2, 0), List.of(0, 1))));
        for (MetadataCommand command : commands) {
            assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        }
        // Without a manual assignment, creations keep the encoding older brokers read.
        assertThat(MetadataCodec.encode(new CreatePartitions("t", 4))[1]).isEqualTo((byte) 4);
        assertThat(MetadataCodec.encode(new CreateTopic("t", Uuid.randomUuid(), 1, 1, Map.of()))[1]).isEqualTo((byte) 3);
    }

    @Test
    void snapshotsKeepMovesInProgressAndVersionTwoSnapshotsAreReadAsNotMoving() throws IOException {
        Uuid id = Uuid.randomUuid();
        PartitionState moving = new PartitionState(0, 2, List.of(3, 0, 1, 2), List.of(0, 1, 2), List.of(3), List.of(2));
        MetadataImage image = new MetadataImage(Map.of(), Map.of("t", new TopicState(new TopicInfo("t", id, 1, Map.of()),
                List.of(moving))), 7, 3, SecurityImage.EMPTY, io.tributary.broker.metadata.DynamicBrokerConfigs.EMPTY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read).isEqualTo(image);

        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(2);
        out.writeInt(0); // brokers
        out.writeInt(1); // topics
        out.writeUTF("t");
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
        out.writeInt(0); // configs
        out.writeInt(1); // partitions
        out.writeInt(1); // leader
        out.writeInt(5); // leader epoch
        out.writeInt(2); // replicas
        out.writeInt(1);
        out.writeInt(0);
        out.writeInt(1); // isr
        out.writeInt(1);
        out.writeLong(7);
        out.writeLong(3);
        out.writeInt(0); // ACLs
        out.writeInt(0); // credentials
        MetadataImage fromOld = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(fromOld.partition("t", 0)).contains(new PartitionState(1, 5, List.of(1, 0), List.of(1)));
        assertThat(fromOld.nextProducerId()).isEqualTo(7);
    }

    @Test
    void registrationsAndSnapshotsKeepTheBrokersRack() throws IOException {
        var listeners = List.of(new io.tributary.broker.metadata.AdvertisedListener("PLAINTEXT", "h", 9092));
        RegisterBroker inRack = new RegisterBroker(1, "h", 9092, 8080, listeners, "eu-west-1a");
        RegisterBroker noRack = new RegisterBroker(2, "h", 9093, 8081, listeners);
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(inRack))).isEqualTo(inRack);
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(noRack))).isEqualTo(noRack);

        BrokerRegistration racked = new BrokerRegistration(1, "h", 9092, 8080, false, listeners, "eu-west-1a");
        BrokerRegistration unracked = new BrokerRegistration(2, "h", 9093, 8081, true, listeners);
        MetadataImage image = new MetadataImage(Map.of(1, racked, 2, unracked), Map.of(), 7, 3, SecurityImage.EMPTY,
                DynamicBrokerConfigs.EMPTY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.brokers()).isEqualTo(image.brokers());
    }

    @Test
    void anIsrChangeCarriesTheBrokerEpochsAsTypeTwentyFourAndOneWithoutKeepsTheEncodingOlderBrokersRead()
            throws IOException {
        AlterPartition withEpochs = new AlterPartition("t", 1, 2, 5, List.of(2, 0, 1), List.of(40L, -1L, 57L));
        byte[] encoded = MetadataCodec.encode(withEpochs);
        assertThat(encoded[1]).as("type").isEqualTo((byte) 24);
        assertThat(MetadataCodec.decodeCommand(encoded)).isEqualTo(withEpochs);

        AlterPartition unknown = new AlterPartition("t", 1, 2, 5, List.of(2, 0));
        assertThat(unknown.brokerEpochs()).containsExactly(BrokerRegistration.UNKNOWN_EPOCH,
                BrokerRegistration.UNKNOWN_EPOCH);
        assertThat(MetadataCodec.encode(unknown)[1]).as("type").isEqualTo((byte) 8);
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(unknown))).isEqualTo(unknown);

        // Type 8 as written before broker epochs: read with every epoch unknown, which the controller does not check.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(0); // version
        out.writeByte(8);
        out.writeUTF("t");
        out.writeInt(1);
        out.writeInt(2);
        out.writeInt(5);
        out.writeInt(2);
        out.writeInt(2);
        out.writeInt(0);
        assertThat(MetadataCodec.decodeCommand(bytes.toByteArray())).isEqualTo(unknown);
    }

    @Test
    void snapshotsKeepTheBrokerEpochsAndVersionSixSnapshotsAreReadWithThemUnknown() throws IOException {
        var listeners = List.of(new io.tributary.broker.metadata.AdvertisedListener("PLAINTEXT", "h", 9092));
        BrokerRegistration live = new BrokerRegistration(1, "h", 9092, 8080, false, listeners, "a", 17);
        BrokerRegistration fenced = new BrokerRegistration(2, "h", 9093, 8081, true, listeners, null, 23);
        BrokerRegistration unknown = new BrokerRegistration(3, "h", 9094, 8082, false, listeners);
        MetadataImage image = new MetadataImage(Map.of(1, live, 2, fenced, 3, unknown), Map.of(), 7, 3,
                SecurityImage.EMPTY, DynamicBrokerConfigs.EMPTY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.brokers()).isEqualTo(image.brokers());
        assertThat(read.brokers().get(3).epoch()).isEqualTo(BrokerRegistration.UNKNOWN_EPOCH);
        // A state machine restored from the snapshot gives the next registration a later epoch than any it holds.
        ClusterState restored = new ClusterState(read);
        assertThat(restored.apply(new MetadataCommand.RegisterBroker(3, "h", 9094)).value()).isGreaterThan(23);

        // Version 6: the same content without the epochs and (version 8) the group configs at the end.
        byte[] version8 = bytes.toByteArray();
        byte[] version6 = java.util.Arrays.copyOf(version8, version8.length - 4 - 4 - 2 * (4 + 8)); // no groups, count, 2 × (id, epoch)
        version6[0] = 6;
        MetadataImage fromVersionSix = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(version6)));
        assertThat(fromVersionSix.brokers().values()).allSatisfy(broker ->
                assertThat(broker.epoch()).isEqualTo(BrokerRegistration.UNKNOWN_EPOCH));
        assertThat(fromVersionSix.brokers().get(1).rack()).isEqualTo("a");
    }

    @Test
    void aVersionTwoSnapshotIsReadAsBrokersInNoRack() throws IOException {
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(2);
        out.writeInt(1);
        out.writeInt(0);
        out.writeUTF("h");
        out.writeInt(9092);
        out.writeInt(18080);
        out.writeBoolean(false);
        out.writeInt(0); // listeners
        out.writeInt(0); // topics
        out.writeLong(7);
        out.writeLong(3);
        ByteArrayOutputStream security = new ByteArrayOutputStream();
        io.tributary.broker.metadata.SecurityCodec.writeImage(new DataOutputStream(security), SecurityImage.EMPTY);
        out.write(security.toByteArray());
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(read.brokers().get(0).rack()).isNull();
        assertThat(read.brokers().get(0).httpPort()).isEqualTo(18080);
    }

    @Test
    void metadataLogDirectoriesRoundTripInCommandsAndSnapshots() throws IOException {
        Uuid directory = Uuid.randomUuid();
        MetadataCommand register = new RegisterMetadataLogDirectory(3, directory);
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(register))).isEqualTo(register);

        SecurityImage security = new SecurityImage(Set.of(READ_ORDERS), Map.of(ALICE, CREDENTIAL));
        MetadataImage image = MetadataImage.EMPTY.withSecurity(security).withMetadataLogDirectory(3, directory)
                .withMetadataLogDirectory(0, Uuid.ONE_UUID);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), image);
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(read.metadataLogDirectories()).isEqualTo(Map.of(3, directory, 0, Uuid.ONE_UUID));
        assertThat(read.security()).isEqualTo(security);
        assertThat(read.metadataLogDirectory(7)).isEqualTo(Uuid.ZERO_UUID);
    }

    @Test
    void aVersionTwoSnapshotIsReadWithoutMetadataLogDirectories() throws IOException {
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(old);
        out.writeByte(2);
        out.writeInt(1); // brokers
        out.writeInt(0);
        out.writeUTF("h");
        out.writeInt(9092);
        out.writeInt(18080);
        out.writeBoolean(false);
        out.writeInt(0); // listeners
        out.writeInt(0); // topics
        out.writeLong(7);
        out.writeLong(3);
        SecurityCodec.writeImage(out, new SecurityImage(Set.of(READ_ORDERS), Map.of()));
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(old.toByteArray())));
        assertThat(read.brokers().get(0).httpPort()).isEqualTo(18080);
        assertThat(read.security().acls()).containsExactly(READ_ORDERS);
        assertThat(read.metadataLogDirectories()).isEmpty();
    }
}
