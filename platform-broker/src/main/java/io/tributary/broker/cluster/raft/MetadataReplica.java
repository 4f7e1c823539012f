package io.tributary.broker.cluster.raft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import io.tributary.broker.cluster.ClusterState;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataImage;
import org.apache.ratis.server.protocol.TermIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's replica of the cluster metadata: the state as far as the committed log has been
 * applied, and the index it was applied up to. It outlives the Ratis state machine that feeds it, so
 * that when this node's Raft server is restarted in another role (a listener promoted to voter, a
 * voter demoted to listener) the metadata never goes back: the new state machine replays the log
 * from its last snapshot, and entries this replica has applied already are skipped.
 *
 * <p>Thread-safe: Ratis applies entries on one thread; readers see the image through a volatile field
 * and wait for an index under this object's monitor.
 */
final class MetadataReplica {

    private static final Logger log = LoggerFactory.getLogger(MetadataReplica.class);

    private final List<Consumer<MetadataImage>> listeners = new CopyOnWriteArrayList<>();
    private ClusterState state = new ClusterState(MetadataImage.EMPTY);
    private TermIndex applied;
    private volatile MetadataImage image = MetadataImage.EMPTY;

    MetadataImage image() {
        return image;
    }

    void onChange(Consumer<MetadataImage> listener) {
        listeners.add(listener);
    }

    /** The image together with the index it stands at, for a snapshot; {@code null} before anything was applied. */
    synchronized Snapshot snapshot() {
        return applied == null ? null : new Snapshot(image, applied);
    }

    /**
     * Applies the committed command at {@code at}, unless this replica applied it already (a replay
     * after a restart of the Raft server), in which case nothing changes and {@code null} is returned.
     */
    CommandResult apply(TermIndex at, MetadataCommand command) {
        CommandResult result;
        synchronized (this) {
            if (applied != null && at.getIndex() <= applied.getIndex()) {
                return null;
            }
            result = state.apply(at.getIndex(), command);
            image = state.image();
            applied = at;
            notifyAll();
        }
        publish();
        return result;
    }

    /** Takes a snapshot's image (one installed from the leader, or this node's own at start), unless it is older. */
    void load(TermIndex at, MetadataImage snapshotImage) {
        synchronized (this) {
            if (applied != null && at.getIndex() <= applied.getIndex()) {
                return;
            }
            state = new ClusterState(snapshotImage);
            image = snapshotImage;
            applied = at;
            notifyAll();
        }
        log.info("Loaded the metadata snapshot at {} ({} topics, {} brokers)", at, snapshotImage.topics().size(),
                snapshotImage.brokers().size());
        publish();
    }

    synchronized long appliedIndex() {
        return applied == null ? -1 : applied.getIndex();
    }

    /** Blocks until this replica has applied the log up to {@code index}. */
    synchronized boolean awaitApplied(long index, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (appliedIndex() < index) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return false;
            }
            wait(remaining);
        }
        return true;
    }

    private void publish() {
        MetadataImage current = image;
        for (Consumer<MetadataImage> listener : listeners) {
            try {
                listener.accept(current);
            } catch (RuntimeException e) {
                log.error("A metadata listener failed", e);
            }
        }
    }

    /** An image and the log index it stands at. */
    record Snapshot(MetadataImage image, TermIndex at) {
    }
}
