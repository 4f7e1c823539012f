package io.tributary.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the brokers tests start, one picker for every way they start them (in this JVM or in
 * processes of their own).
 */
public final class TestPorts {

    /** Ports handed out in this JVM, never handed out twice. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private TestPorts() {
    }

    /**
     * A port free now, below Linux's ephemeral range (32768 and up): a port the OS picked for
     * {@code new ServerSocket(0)} is one it also gives outgoing connections, which took such a port
     * before a broker could bind it once in CI.
     */
    public static int free() {
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // in use: try another
            }
        }
        throw new UncheckedIOException(new IOException("No free port below the ephemeral range"));
    }
}
