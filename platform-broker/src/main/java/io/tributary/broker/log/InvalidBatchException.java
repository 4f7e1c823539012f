package io.tributary.broker.log;

/** A record batch that the log refuses to store; nothing of the append it came with was written. */
public final class InvalidBatchException extends LogException {

    /** Why a batch was refused, in the terms the Kafka protocol distinguishes. */
    public enum Reason {
        /** The bytes are damaged: bad CRC, truncated, or sizes that do not add up (CORRUPT_MESSAGE). */
        CORRUPT,
        /** The bytes are intact but not a valid batch: wrong magic, inconsistent counts (INVALID_RECORD). */
        INVALID,
        /** The batch is larger than {@code max.message.bytes} (MESSAGE_TOO_LARGE). */
        TOO_LARGE
    }

    private final Reason reason;

    public InvalidBatchException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
