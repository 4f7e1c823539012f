package io.tributary.broker.admin.history;

/**
 * A group's lag summed over its partitions at one moment.
 *
 * @param time epoch milliseconds
 */
public record LagSample(long time, long lag) {
}
