package io.tributary.broker.config;

/** The values of {@code tributary.broker.log-dir-failure}: what the broker does when its data directory fails. */
public enum LogDirFailure {

    /** {@link #SHUTDOWN} for a broker in a cluster that runs as a process of its own, {@link #OFFLINE} otherwise. */
    AUTO,
    /** Hand the leaderships over (in a cluster), then stop the process with exit status 74. */
    SHUTDOWN,
    /** Take only the failed partitions offline; serve the others until someone restarts the broker. */
    OFFLINE;

    /**
     * Whether the broker stops.
     *
     * @param inCluster  whether it is a member of a cluster (replicas elsewhere can take over)
     * @param ownProcess whether the JVM was started to run this broker alone (its main class)
     */
    public boolean shutsDown(boolean inCluster, boolean ownProcess) {
        return this == SHUTDOWN || (this == AUTO && inCluster && ownProcess);
    }
}
