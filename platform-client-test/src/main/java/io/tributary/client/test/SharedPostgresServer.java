package io.tributary.client.test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of this JVM behind {@link EmbeddedPostgresDatabase}: each test context gets a
 * database of its own on it. Starting a server costs about 2.5 s and creating a database some tens of
 * milliseconds, and separate databases keep contexts' schemas and rows apart as well as separate servers would.
 * The server lives until the JVM exits, as cached test contexts may.
 */
final class SharedPostgresServer {

    private static final AtomicInteger databases = new AtomicInteger();
    private static EmbeddedPostgresServer server;

    private SharedPostgresServer() {
    }

    static synchronized EmbeddedPostgresServer get() {
        if (server == null) {
            server = EmbeddedPostgresServer.start();
        }
        return server;
    }

    static String nextDatabaseName() {
        return "test_" + databases.incrementAndGet();
    }
}
