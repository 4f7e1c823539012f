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
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
import io.tributary.broker.metadata.SecurityCodec;
import org.apache.kafka.common.Uuid;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityImage;
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
 * port and of ACLs and SCRAM credentials.
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
        MetadataImage image = new MetadataImage(Map.of(), Map.of(), 7, 3, security, Map.of());
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
        MetadataImage image = new MetadataImage(Map.of(0, broker), Map.of(), 7, 3, SecurityImage.EMPTY, Map.of());
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
