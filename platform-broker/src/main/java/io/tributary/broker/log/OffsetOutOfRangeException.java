package io.tributary.broker.log;

/** A read asked for an offset outside {@code [logStartOffset, logEndOffset]}. */
public final class OffsetOutOfRangeException extends LogException {

    public OffsetOutOfRangeException(String log, long requested, long logStartOffset, long logEndOffset) {
        super("Offset " + requested + " is out of range for " + log + ": the log holds ["
                + logStartOffset + ", " + logEndOffset + ")");
    }
}
