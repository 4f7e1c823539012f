package io.tributary.broker.metadata;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * The bytes of ACLs and SCRAM credentials, shared by the Raft log and snapshots of a cluster and by
 * the single-node store, so both read and write one format. Enums are written as Kafka's own
 * protocol codes, which Kafka never renumbers.
 */
public final class SecurityCodec {

    private SecurityCodec() {
    }

    public static void writeImage(DataOutput out, SecurityImage image) throws IOException {
        writeAcls(out, image.acls());
        out.writeInt(image.credentials().size());
        for (Map.Entry<ScramCredentialKey, ScramCredentialData> entry : image.credentials().entrySet()) {
            writeKey(out, entry.getKey());
            writeCredential(out, entry.getValue());
        }
    }

    public static SecurityImage readImage(DataInput in) throws IOException {
        List<AclBinding> acls = readAcls(in);
        Map<ScramCredentialKey, ScramCredentialData> credentials = new HashMap<>();
        for (int i = in.readInt(); i > 0; i--) {
            credentials.put(readKey(in), readCredential(in));
        }
        return new SecurityImage(java.util.Set.copyOf(acls), credentials);
    }

    public static void writeAcls(DataOutput out, Collection<AclBinding> acls) throws IOException {
        out.writeInt(acls.size());
        for (AclBinding acl : acls) {
            out.writeByte(acl.pattern().resourceType().code());
            out.writeUTF(acl.pattern().name());
            out.writeByte(acl.pattern().patternType().code());
            out.writeUTF(acl.entry().principal());
            out.writeUTF(acl.entry().host());
            out.writeByte(acl.entry().operation().code());
            out.writeByte(acl.entry().permissionType().code());
        }
    }

    public static List<AclBinding> readAcls(DataInput in) throws IOException {
        int size = in.readInt();
        List<AclBinding> acls = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ResourcePattern pattern = new ResourcePattern(ResourceType.fromCode(in.readByte()), in.readUTF(),
                    PatternType.fromCode(in.readByte()));
            AccessControlEntry entry = new AccessControlEntry(in.readUTF(), in.readUTF(),
                    AclOperation.fromCode(in.readByte()), AclPermissionType.fromCode(in.readByte()));
            acls.add(new AclBinding(pattern, entry));
        }
        return acls;
    }

    public static void writeKey(DataOutput out, ScramCredentialKey key) throws IOException {
        out.writeUTF(key.user());
        out.writeByte(key.mechanism().type());
    }

    public static ScramCredentialKey readKey(DataInput in) throws IOException {
        String user = in.readUTF();
        byte type = in.readByte();
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (mechanism.type() == type) {
                return new ScramCredentialKey(user, mechanism);
            }
        }
        throw new IOException("Unknown SCRAM mechanism type " + type);
    }

    public static void writeCredential(DataOutput out, ScramCredentialData credential) throws IOException {
        writeBytes(out, credential.salt());
        writeBytes(out, credential.storedKey());
        writeBytes(out, credential.serverKey());
        out.writeInt(credential.iterations());
    }

    public static ScramCredentialData readCredential(DataInput in) throws IOException {
        return new ScramCredentialData(readBytes(in), readBytes(in), readBytes(in), in.readInt());
    }

    private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }
}
