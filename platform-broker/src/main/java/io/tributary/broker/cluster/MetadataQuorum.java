package io.tributary.broker.cluster;

import java.util.function.Consumer;

/**
 * This broker's seat in the metadata quorum: its replica of the state, and the way to change it.
 *
 * <p>Implementations are thread-safe.
 */
public interface MetadataQuorum {

    /** This broker's replica of the metadata, as far as it has applied the log. */
    MetadataImage image();

    /** This node's cluster id, node id and metadata log directory id. */
    MetaProperties meta();

    /**
     * Makes sure the quorum replicates the metadata log to this node, asking to be added as a
     * non-voting member if its configuration does not name this node (a broker-only node's first start).
     *
     * @throws io.tributary.broker.metadata.MetadataException REQUEST_TIMED_OUT while no leader answers
     */
    void join();

    /**
     * Commits a command through the quorum's leader and waits until this broker's replica has
     * applied it, so that the caller reads its own write.
     *
     * @throws io.tributary.broker.metadata.MetadataException REQUEST_TIMED_OUT when no quorum answers in time
     */
    CommandResult submit(MetadataCommand command);

    /**
     * Commits a command of the controller's own — a fencing — only if this broker is the quorum's
     * leader: the command is appended to this voter's log, never forwarded. A controller that was
     * frozen and thawed may still believe it leads, with a stale memory of heartbeats; what it
     * appends in that belief is never committed, since the voters have moved on to a newer term.
     *
     * @throws io.tributary.broker.metadata.MetadataException NOT_CONTROLLER when this broker is not the
     *     leader, REQUEST_TIMED_OUT when the command was not committed in time
     */
    CommandResult submitAsController(MetadataCommand command);

    /**
     * Tells the controller that {@code nodeId} is alive.
     *
     * @return whether the controller knows it as registered and not fenced
     */
    boolean heartbeat(int nodeId);

    /** The node id of the quorum's leader, which is the active controller, or -1 while there is none. */
    int leaderId();

    /** Called, on the thread applying the log, after every change of the replica. */
    void onChange(Consumer<MetadataImage> listener);
}
