package io.tributary.broker.metadata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import io.tributary.broker.log.AtomicFiles;

/**
 * The ACLs and SCRAM credentials of a single-node cluster, durable in
 * {@code <data-dir>/.metadata/security.dat} ({@link SecurityCodec}'s format after a version byte),
 * replaced atomically on every change. A change is on disk before it is visible.
 *
 * <p>Thread-safe: changes are serialized; reads see the last image without locking.
 */
public final class SecurityStore {

    static final String FILE = "security.dat";
    private static final byte VERSION = 0;

    private final Path file;
    private final List<Consumer<SecurityImage>> listeners = new CopyOnWriteArrayList<>();
    private volatile SecurityImage image;

    private SecurityStore(Path file, SecurityImage image) {
        this.file = file;
        this.image = image;
    }

    /** Opens the store in {@code dataDir}, empty the first time. */
    public static SecurityStore open(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(TopicStore.DIRECTORY);
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new SecurityStore(file, SecurityImage.EMPTY);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IOException("Unknown version " + version + " of " + file);
            }
            return new SecurityStore(file, SecurityCodec.readImage(in));
        }
    }

    public SecurityImage image() {
        return image;
    }

    /** Calls {@code listener} with the current image now, and with the new one after every change. */
    public void onChange(Consumer<SecurityImage> listener) {
        synchronized (this) {
            listeners.add(listener);
            listener.accept(image);
        }
    }

    /**
     * Applies {@code change} and stores the result before publishing it.
     *
     * @throws MetadataException when the change is refused; nothing changes then
     */
    public synchronized SecurityImage change(UnaryOperator<SecurityImage> change) {
        SecurityImage next = change.apply(image);
        if (next == image) {
            return next;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            SecurityCodec.writeImage(out, next);
            out.flush();
            AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the ACLs and SCRAM credentials", e);
        }
        image = next;
        listeners.forEach(listener -> listener.accept(next));
        return next;
    }
}
