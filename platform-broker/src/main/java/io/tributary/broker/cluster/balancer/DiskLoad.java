package io.tributary.broker.cluster.balancer;

import java.util.Map;
import java.util.TreeMap;

/**
 * The disk use of each live broker while a plan is made: the bytes of the partitions it holds (moving
 * ones counted where they are headed), as a share of its log directory's capacity when every broker told
 * its capacity, so that a broker with a disk twice as large takes twice the data. Without capacities the
 * shares are plain bytes.
 *
 * <p>The balance sought is the least sum of squared shares: a step that lowers it brings the brokers'
 * shares closer, and as every step must lower it, no sequence of steps can go round in circles.
 */
final class DiskLoad {

    private final Map<Integer, Long> bytes;
    private final Map<Integer, Double> capacities = new TreeMap<>();
    private final double averageCapacity;

    DiskLoad(Map<Integer, Long> bytesPerBroker, Map<Integer, Long> reportedCapacities) {
        this.bytes = new TreeMap<>(bytesPerBroker);
        boolean allKnown = bytes.keySet().stream().allMatch(b -> reportedCapacities.getOrDefault(b, 0L) > 0);
        bytes.keySet().forEach(b -> capacities.put(b, allKnown ? reportedCapacities.get(b).doubleValue() : 1.0));
        averageCapacity = capacities.values().stream().mapToDouble(Double::doubleValue).average().orElse(1.0);
    }

    Map<Integer, Long> bytes() {
        return new TreeMap<>(bytes);
    }

    private double share(int broker) {
        return bytes.get(broker) / capacities.get(broker);
    }

    /** The live broker with the largest share, or {@code null} when there is none. */
    Integer fullest() {
        return bytes.keySet().stream().max((a, b) -> Double.compare(share(a), share(b))).orElse(null);
    }

    /**
     * Whether the most and the least used brokers differ by more than {@code allowedSpread} of the
     * average share and, reckoned at the average capacity, by more than {@code minBytes}.
     */
    boolean unbalanced(double allowedSpread, long minBytes) {
        if (bytes.size() < 2) {
            return false;
        }
        double max = bytes.keySet().stream().mapToDouble(this::share).max().orElseThrow();
        double min = bytes.keySet().stream().mapToDouble(this::share).min().orElseThrow();
        double average = bytes.keySet().stream().mapToDouble(this::share).average().orElseThrow();
        return max - min > allowedSpread * average && (max - min) * averageCapacity > minBytes;
    }

    /** The gap between two brokers' shares, in bytes at the average capacity. */
    double gapBytes(int from, int to) {
        return (share(from) - share(to)) * averageCapacity;
    }

    /** The net bytes from {@code from} to {@code to} that would even out the two brokers' shares. */
    double evenBytes(int from, int to) {
        return (share(from) - share(to)) / (1 / capacities.get(from) + 1 / capacities.get(to));
    }

    /**
     * How much moving {@code netBytes} from one broker to the other changes the sum of squared shares,
     * scaled to bytes squared at the average capacity: negative when the move brings them closer.
     */
    double change(int from, int to, long netBytes) {
        double a = share(from);
        double b = share(to);
        double a2 = (bytes.get(from) - netBytes) / capacities.get(from);
        double b2 = (bytes.get(to) + netBytes) / capacities.get(to);
        return (a2 * a2 + b2 * b2 - a * a - b * b) * averageCapacity * averageCapacity;
    }

    void move(int from, int to, long netBytes) {
        bytes.merge(from, -netBytes, Long::sum);
        bytes.merge(to, netBytes, Long::sum);
    }
}
