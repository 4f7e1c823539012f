package io.tributary.broker.admin;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Makes a directory read-only for the test's process even when it runs as root (as CI does), where
 * permissions are ignored: then the directory gets the immutable attribute ({@code chattr +i}),
 * which root obeys too. Closing restores it.
 */
final class ReadOnlyDirectory implements AutoCloseable {

    private final Path dir;
    private final boolean root;

    private ReadOnlyDirectory(Path dir, boolean root) {
        this.dir = dir;
        this.root = root;
    }

    static ReadOnlyDirectory of(Path dir) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            assumeTrue(run("chattr", "+i", dir.toString()), "chattr +i is not available on this file system");
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        return new ReadOnlyDirectory(dir, root);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (root) {
            run("chattr", "-i", dir.toString());
        } else {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false; // no chattr here
        }
    }
}
