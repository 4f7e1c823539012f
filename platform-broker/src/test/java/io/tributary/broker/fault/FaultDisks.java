package io.tributary.broker.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.BrokerProcess;
import io.tributary.broker.SmallFilesystem;

/**
 * The data directories a schedule fills ({@code DISK_FULL}) or breaks ({@code DISK_ERROR}). One it fills is a small
 * file system of its own, mounted before its broker starts: {@link #fill} makes it full. One it breaks belongs to
 * a broker started by {@link FailingDiskBroker}, whose writes fail with EIO while a switch file exists:
 * {@link #breakDisk} creates it. {@link #heal} frees and mends them all. Only the nodes the schedule names get
 * either, so every other node writes to the disk as in runs without disk faults. Not thread-safe: one test
 * thread drives it.
 */
final class FaultDisks implements AutoCloseable {

    /** Room for a run's records, the metadata log and the internal topics' logs many times over. */
    static final long SIZE = 256L << 20;

    private final Map<Integer, SmallFilesystem> disks = new TreeMap<>();
    private final List<Integer> full = new ArrayList<>();
    /** The switch file of each node whose disk the schedule breaks. */
    private final Map<Integer, Path> switches = new TreeMap<>();

    private FaultDisks() {
    }

    /**
     * Mounts a small file system on {@code node-<n>} under {@code clusterDir} for each of {@code fullNodes}, and
     * places a switch file beside the data directory of each of {@code failingNodes}.
     */
    static FaultDisks mount(Path clusterDir, List<Integer> fullNodes, List<Integer> failingNodes) throws IOException {
        FaultDisks disks = new FaultDisks();
        try {
            for (int node : fullNodes) {
                disks.disks.put(node, SmallFilesystem.mount(clusterDir.resolve("node-" + node), SIZE));
            }
        } catch (IOException | RuntimeException e) {
            disks.close();
            throw e;
        }
        for (int node : failingNodes) {
            disks.switches.put(node, clusterDir.resolve("node-" + node + ".disk-error"));
        }
        return disks;
    }

    /** Where {@code node}'s broker runs: as {@code placement} says, started by the failing-disk main if it needs one. */
    BrokerProcess.Placement placement(int node, BrokerProcess.Placement placement) {
        Path toggle = switches.get(node);
        return toggle == null ? placement : placement.startedBy(FailingDiskBroker.class,
                List.of("-D" + FailingDiskBroker.SWITCH_PROPERTY + "=" + toggle));
    }

    /** Makes every write and flush of the node's logs fail with EIO; returns what was done, for the timeline. */
    String breakDisk(int node) throws IOException {
        Path toggle = switches.get(node);
        if (toggle == null) {
            throw new IllegalStateException("Node " + node + " has no failing disk: it was not in the schedule");
        }
        Files.createFile(toggle);
        return "data directory of node " + node + " fails every write and flush with EIO (Input/output error)";
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

    /** Frees every full data directory and mends every broken one: safe to call at any time, and again. */
    void heal() throws IOException {
        for (int node : full) {
            disks.get(node).free();
        }
        full.clear();
        for (Path toggle : switches.values()) {
            Files.deleteIfExists(toggle);
        }
    }

    /** Unmounts them all; their brokers must have stopped. */
    @Override
    public void close() {
        disks.values().forEach(SmallFilesystem::close);
        disks.clear();
    }
}
