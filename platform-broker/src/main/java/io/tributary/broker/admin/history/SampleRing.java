package io.tributary.broker.admin.history;

import java.util.ArrayList;
import java.util.List;

/**
 * The newest samples of one series, at most {@code capacity} of them: adding to a full ring drops
 * the oldest. Thread-safe; a snapshot is a copy, oldest first.
 *
 * @param <T> the sample type
 */
final class SampleRing<T> {

    private final Object[] slots;
    private int next;
    private int size;

    SampleRing(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("A ring holds at least one sample: " + capacity);
        }
        this.slots = new Object[capacity];
    }

    synchronized void add(T sample) {
        slots[next] = sample;
        next = (next + 1) % slots.length;
        size = Math.min(size + 1, slots.length);
    }

    @SuppressWarnings("unchecked")
    synchronized List<T> snapshot() {
        List<T> copy = new ArrayList<>(size);
        int first = (next - size + slots.length) % slots.length;
        for (int i = 0; i < size; i++) {
            copy.add((T) slots[(first + i) % slots.length]);
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    synchronized T last() {
        return size == 0 ? null : (T) slots[(next - 1 + slots.length) % slots.length];
    }

    synchronized int size() {
        return size;
    }
}
