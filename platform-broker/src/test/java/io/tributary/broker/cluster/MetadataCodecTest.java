package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import org.junit.jupiter.api.Test;

/** What brokers write to the Raft log and snapshots stays readable across the HTTP port's addition. */
class MetadataCodecTest {

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
        MetadataImage image = new MetadataImage(Map.of(0, broker), Map.of(), 7, 3);
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
}
