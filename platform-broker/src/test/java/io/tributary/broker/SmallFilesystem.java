package io.tributary.broker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small file system (tmpfs) that a test mounts on a directory, a broker's data directory say, so
 * that it can make the disk full for real: {@link #fill()} writes a filler file until the kernel
 * answers ENOSPC, {@link #free()} deletes it. The directory must be empty and is mounted over; what
 * the broker writes there lives in memory, as long as the mount.
 *
 * <p>Mounting needs Linux and root (or {@code CAP_SYS_ADMIN}); {@link #unavailableReason()} says why
 * it cannot be done, for tests to skip. Each mount's source is named after the test JVM's pid
 * ({@code tfidisk<pid>}), so that a later run unmounts what a crashed one left behind, as
 * {@code FaultNetwork} removes its namespaces. Not thread-safe.
 */
public final class SmallFilesystem implements AutoCloseable {

    private static final String PREFIX = "tfidisk";
    private static final String FILLER = ".filler";

    private final Path mountPoint;
    private final long bytes;
    private boolean mounted;

    private SmallFilesystem(Path mountPoint, long bytes) {
        this.mountPoint = mountPoint;
        this.bytes = bytes;
    }

    /** Why no small file system can be mounted here, or null when it can. */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "A small file system needs Linux's tmpfs; this is " + System.getProperty("os.name");
        }
        Path probe;
        try {
            probe = Files.createTempDirectory("tfidisk-probe");
        } catch (IOException e) {
            return "No temporary directory for the probe: " + e;
        }
        try {
            SystemCommand.Result mounted = SystemCommand.run("mount", "-t", "tmpfs", "-o", "size=64k", PREFIX + "probe", probe.toString());
            if (mounted.code() != 0) {
                return "Mounting a tmpfs needs root (or CAP_SYS_ADMIN): mount said " + mounted.output().strip();
            }
            SystemCommand.run("umount", probe.toString());
            return null;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a temporary directory left behind
            }
        }
    }

    /**
     * Mounts a tmpfs of {@code bytes} on {@code dir} (created when missing), after unmounting those of
     * test JVMs that no longer run.
     */
    public static SmallFilesystem mount(Path dir, long bytes) throws IOException {
        unmountLeftovers();
        Files.createDirectories(dir);
        SmallFilesystem filesystem = new SmallFilesystem(dir.toAbsolutePath(), bytes);
        SystemCommand.Result result = SystemCommand.run("mount", "-t", "tmpfs", "-o", "size=" + bytes, PREFIX + ProcessHandle.current().pid(),
                filesystem.mountPoint.toString());
        if (result.code() != 0) {
            throw new IOException("mount -t tmpfs on " + dir + " failed: " + result.output().strip());
        }
        filesystem.mounted = true;
        return filesystem;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Bytes still free on the file system. */
    public long usableSpace() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /**
     * Fills the file system: a filler file grows until a write fails with ENOSPC (by whole megabytes,
     * then by pages). Returns the bytes the filler took. What others write meanwhile fails as a full
     * disk does, except into the pages their files already hold.
     */
    public long fill() throws IOException {
        long written = 0;
        try (FileChannel filler = FileChannel.open(mountPoint.resolve(FILLER), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int chunk : new int[] {1 << 20, 4096}) {
                ByteBuffer zeros = ByteBuffer.allocate(chunk);
                while (true) {
                    zeros.clear();
                    try {
                        written += filler.write(zeros);
                    } catch (IOException e) {
                        if (!String.valueOf(e.getMessage()).contains("No space left")) {
                            throw e;
                        }
                        break;
                    }
                }
            }
        }
        return written;
    }

    /** Deletes the filler: the space is free again. */
    public void free() throws IOException {
        Files.deleteIfExists(mountPoint.resolve(FILLER));
    }

    /** Unmounts the file system, lazily when a process still has files open on it; its content is gone. */
    @Override
    public void close() {
        if (!mounted) {
            return;
        }
        if (SystemCommand.run("umount", mountPoint.toString()).code() != 0) {
            SystemCommand.run("umount", "-l", mountPoint.toString());
        }
        mounted = false;
    }

    @Override
    public String toString() {
        return "tmpfs of " + bytes + " bytes on " + mountPoint;
    }

    /** Unmounts the small file systems of test JVMs that no longer run. */
    private static void unmountLeftovers() throws IOException {
        List<String> stale = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[0].startsWith(PREFIX) && fields[2].equals("tmpfs")) {
                String digits = fields[0].substring(PREFIX.length());
                if (digits.matches("[0-9]+") && ProcessHandle.of(Long.parseLong(digits)).isEmpty()) {
                    stale.add(fields[1].replace("\\040", " "));
                }
            }
        }
        for (String mountPoint : stale) {
            SystemCommand.run("umount", "-l", mountPoint);
        }
    }

}
