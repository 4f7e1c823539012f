package io.tributary.broker.metadata;

import org.apache.kafka.common.protocol.Errors;

/** A metadata change the cluster refuses, with the Kafka error a client is answered with. */
public final class MetadataException extends RuntimeException {

    private final Errors error;

    public MetadataException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
