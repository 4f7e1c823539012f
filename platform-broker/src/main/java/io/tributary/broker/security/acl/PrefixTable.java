package io.tributary.broker.security.acl;

import java.util.BitSet;
import java.util.Map;

/**
 * Values keyed by name prefixes, looked up by every prefix of a name at once without allocating:
 * the name's hash is extended one character at a time (as {@link String#hashCode()} computes it),
 * and only at the lengths some key has is the open-addressing table probed, comparing characters in
 * place. A lookup costs one pass over the name plus one probe per distinct key length it reaches.
 * Immutable once built.
 *
 * @param <V> the values
 */
final class PrefixTable<V> {

    /** Receives the values of the keys that prefix a name; returns false to stop the walk. */
    interface Visitor<V> {
        boolean visit(V value);
    }

    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final BitSet lengths = new BitSet();
    private final int longest;

    PrefixTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        int max = 0;
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            String key = entry.getKey();
            int slot = spread(key.hashCode()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = entry.getValue();
            lengths.set(key.length());
            max = Math.max(max, key.length());
        }
        longest = max;
    }

    /**
     * Calls {@code visitor} with the value of every key that is a prefix of {@code name} (the name
     * itself included), shortest first, until it returns false.
     */
    void forEachPrefixOf(String name, Visitor<V> visitor) {
        int end = Math.min(name.length(), longest);
        int hash = 0;
        if (lengths.get(0) && !probe(name, 0, 0, visitor)) {
            return;
        }
        for (int length = 1; length <= end; length++) {
            hash = 31 * hash + name.charAt(length - 1);
            if (lengths.get(length) && !probe(name, length, hash, visitor)) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private boolean probe(String name, int length, int hash, Visitor<V> visitor) {
        for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key.length() == length && key.hashCode() == hash && name.regionMatches(0, key, 0, length)) {
                return visitor.visit((V) values[slot]);
            }
        }
        return true;
    }

    /** As HashMap spreads hashes: the high bits matter too, for keys that differ only near their end. */
    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
