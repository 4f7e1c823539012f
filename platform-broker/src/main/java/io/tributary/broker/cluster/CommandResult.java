package io.tributary.broker.cluster;

import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;

/**
 * What applying a command gave: no error, or the Kafka error the client is answered with; {@code value}
 * carries a command's number (the first id of an allocated producer id block).
 */
public record CommandResult(Errors error, String message, long value) {

    static final CommandResult OK = new CommandResult(Errors.NONE, null, 0);

    static CommandResult value(long value) {
        return new CommandResult(Errors.NONE, null, value);
    }

    static CommandResult failed(MetadataException e) {
        return new CommandResult(e.error(), e.getMessage(), 0);
    }

    /** The value, or the failure as the {@link MetadataException} the API layer maps to an error code. */
    public long orThrow() {
        if (error != Errors.NONE) {
            throw new MetadataException(error, message);
        }
        return value;
    }
}
