package io.tributary.broker.network;

import io.netty.handler.codec.DecoderException;

/**
 * A request frame announced a size the broker will not read: above {@code socket.request.max.bytes} (or, before a SASL
 * client has authenticated, {@code sasl.server.max.receive.size}),
 * or negative (which, read unsigned, is above 2 GiB). The connection is closed without reading or
 * allocating the body, as Kafka does with its {@code InvalidReceiveException}.
 */
public final class FrameOversizedException extends DecoderException {

    private final int frameSize;
    private final int maxFrameSize;

    public FrameOversizedException(int frameSize, int maxFrameSize) {
        this(frameSize, maxFrameSize, "socket.request.max.bytes");
    }

    /** @param limit the setting that sets the maximum, named in the message */
    public FrameOversizedException(int frameSize, int maxFrameSize, String limit) {
        super(frameSize < 0
                ? "Frame size " + frameSize + " is negative"
                : "Frame of " + frameSize + " bytes exceeds the maximum of " + maxFrameSize + " bytes (" + limit + ")");
        this.frameSize = frameSize;
        this.maxFrameSize = maxFrameSize;
    }

    /** The size the client announced in the 4-byte prefix. */
    public int frameSize() {
        return frameSize;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }
}
