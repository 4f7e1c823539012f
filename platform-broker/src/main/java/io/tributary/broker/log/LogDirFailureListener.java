package io.tributary.broker.log;

import java.nio.file.Path;

/**
 * Told when the data directory fails: the first time any partition's storage fails (a full disk,
 * an I/O error), which takes that partition offline ({@link LogOfflineException}). As in Kafka, where
 * any I/O error in a log directory takes the whole directory offline, one failure stands for the
 * directory: the others that follow on the same disk are not told again.
 *
 * <p>Called once per {@link LogManager}, on the thread whose read or write failed, which may hold the
 * partition's append lock: implementations must return quickly (hand slow work to a thread of their
 * own) and must not throw.
 */
@FunctionalInterface
public interface LogDirFailureListener {

    /** Does nothing: the failed partition stays offline, the others go on until they fail too. */
    LogDirFailureListener NONE = (dataDir, failure) -> { };

    /**
     * @param dataDir the data directory that failed
     * @param failure the first failure: its message names the partition and what failed, its cause is the I/O error
     */
    void onLogDirFailure(Path dataDir, LogOfflineException failure);
}
