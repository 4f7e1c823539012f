package io.tributary.broker.log;

/**
 * The partition's storage failed (an I/O error, a full disk): the log is offline until the broker
 * restarts and recovers it. Other partitions are unaffected.
 */
public final class LogOfflineException extends LogException {

    public LogOfflineException(String message, Throwable cause) {
        super(message, cause);
    }
}
