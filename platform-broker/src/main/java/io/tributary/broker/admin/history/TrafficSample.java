package io.tributary.broker.admin.history;

/**
 * The broker's traffic over one sampling interval, as rates per second.
 *
 * @param time epoch milliseconds at the end of the interval
 */
public record TrafficSample(long time, double bytesIn, double bytesOut, double recordsIn, double recordsOut) {

    static final TrafficSample ZERO = new TrafficSample(0, 0, 0, 0, 0);

    /** The sum of two brokers' samples, at the later time. */
    public TrafficSample plus(TrafficSample other) {
        return new TrafficSample(Math.max(time, other.time), bytesIn + other.bytesIn, bytesOut + other.bytesOut,
                recordsIn + other.recordsIn, recordsOut + other.recordsOut);
    }
}
