package io.tributary.broker.network;

import io.netty.handler.codec.DecoderException;

/**
 * A request frame announced a size the broker will not read: above {@code socket.request.max.bytes},
 * or negative (which, read unsigned, is above 2 GiB). The connection is closed without reading or
 * allocating the body, as Kafka does with its {@code InvalidReceiveException}.
 */
public final class FrameOversizedException extends DecoderException {

    private final int frameSize;
    private final int maxFrameSize;

    public FrameOversizedException(int frameSize, int maxFrameSize) {
        super(frameSize < 0
                ? "Frame size " + frameSize + " is negative"
                : "Frame of " + frameSize + " bytes exceeds the maximum of " + maxFrameSize + " bytes (socket.request.max.bytes)");
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
