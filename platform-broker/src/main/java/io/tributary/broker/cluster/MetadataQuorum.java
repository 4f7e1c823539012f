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

    /**
     * Commits a command through the quorum's leader and waits until this broker's replica has
     * applied it, so that the caller reads its own write.
     *
     * @throws io.tributary.broker.metadata.MetadataException REQUEST_TIMED_OUT when no quorum answers in time
     */
    CommandResult submit(MetadataCommand command);

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
