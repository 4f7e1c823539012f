package io.tributary.broker.fault;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.SmallFilesystem;

/**
 * The data directories a schedule fills ({@code DISK_FULL}), each a small file system of its own mounted
 * before its broker starts: {@link #fill} makes one full, {@link #heal} frees them all. Only the nodes the
 * schedule fills get one, so every other node writes to the disk as in runs without disk faults. Not
 * thread-safe: one test thread drives it.
 */
final class FaultDisks implements AutoCloseable {

    /** Room for a run's records, the metadata log and the internal topics' logs many times over. */
    static final long SIZE = 256L << 20;

    private final Map<Integer, SmallFilesystem> disks = new TreeMap<>();
    private final List<Integer> full = new ArrayList<>();

    private FaultDisks() {
    }

    /** Mounts a small file system on {@code node-<n>} under {@code clusterDir} for each of {@code nodes}. */
    static FaultDisks mount(Path clusterDir, List<Integer> nodes) throws IOException {
        FaultDisks disks = new FaultDisks();
        try {
            for (int node : nodes) {
                disks.disks.put(node, SmallFilesystem.mount(clusterDir.resolve("node-" + node), SIZE));
            }
        } catch (IOException | RuntimeException e) {
            disks.close();
            throw e;
        }
        return disks;
    }

    /** Fills the node's data directory until the kernel answers ENOSPC; returns what was done, for the timeline. */
    String fill(int node) throws IOException {
        SmallFilesystem disk = disks.get(node);
        if (disk == null) {
            throw new IllegalStateException("Node " + node + " has no small file system: it was not in the schedule");
        }
        full.add(node);
        long filler = disk.fill();
        return "data directory of node " + node + " full (" + filler / (1 << 20) + " MB of filler on a " + (SIZE >> 20)
                + " MB tmpfs)";
    }

    /** Frees every full data directory: safe to call at any time, and again. */
    void heal() throws IOException {
        for (int node : full) {
            disks.get(node).free();
        }
        full.clear();
    }

    /** Unmounts them all; their brokers must have stopped. */
    @Override
    public void close() {
        disks.values().forEach(SmallFilesystem::close);
        disks.clear();
    }
}
