package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The cleaner's map from record key to the latest offset seen for it, in a fixed amount of memory:
 * a key is stored as its 16-byte MD5 digest beside an 8-byte offset, in an open-addressing table
 * over one buffer, so that the memory a cleaning takes does not grow with the keys' sizes.
 *
 * <p>Two keys with the same digest would be taken for one; with MD5 the odds are negligible (Kafka's
 * cleaner makes the same bet). The map refuses to fill beyond {@link #LOAD_FACTOR} of its slots:
 * the cleaner checks {@link #hasRoomFor} before each batch and cleans less when the map is full.
 *
 * <p>Not thread-safe: it belongs to the single cleaner thread.
 */
final class OffsetMap {

    static final double LOAD_FACTOR = 0.9;
    private static final int HASH_SIZE = 16;
    private static final int ENTRY_SIZE = HASH_SIZE + Long.BYTES;
    /** The least memory that holds one key. */
    static final int MIN_MEMORY_BYTES = 2 * ENTRY_SIZE;
    /** Stored offsets are shifted by one, so that an all-zero slot reads as empty. */
    private static final long EMPTY = 0;

    private final ByteBuffer slots;
    private final int slotCount;
    private final int maxEntries;
    private final MessageDigest digest;
    private final byte[] hash = new byte[HASH_SIZE];
    private final byte[] probe = new byte[HASH_SIZE];
    private int entries;

    /** @param memoryBytes the memory the map may take; it holds about {@code 0.9 * memoryBytes / 24} keys */
    OffsetMap(int memoryBytes) {
        slotCount = memoryBytes / ENTRY_SIZE;
        maxEntries = (int) (slotCount * LOAD_FACTOR);
        if (maxEntries < 1) {
            throw new IllegalArgumentException("An offset map of " + memoryBytes + " bytes holds no key");
        }
        slots = ByteBuffer.allocate(slotCount * ENTRY_SIZE);
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime must provide MD5", e);
        }
    }

    int size() {
        return entries;
    }

    int capacity() {
        return maxEntries;
    }

    /** Whether {@code keys} more distinct keys fit. */
    boolean hasRoomFor(int keys) {
        return (long) entries + keys <= maxEntries;
    }

    /**
     * Records {@code offset} as the latest offset of {@code key}. Offsets are put in increasing
     * order, so a later put of a key replaces the earlier one.
     *
     * @return false, changing nothing, when the key is new and the map is full
     */
    boolean put(ByteBuffer key, long offset) {
        hash(key);
        int position = findSlot() * ENTRY_SIZE;
        if (slots.getLong(position + HASH_SIZE) == EMPTY) {
            if (entries >= maxEntries) {
                return false;
            }
            slots.put(position, hash);
            entries++;
        }
        slots.putLong(position + HASH_SIZE, offset + 1);
        return true;
    }

    /** The latest offset recorded for {@code key}, or -1 when it has none. */
    long get(ByteBuffer key) {
        hash(key);
        long stored = slots.getLong(findSlot() * ENTRY_SIZE + HASH_SIZE);
        return stored == EMPTY ? -1 : stored - 1;
    }

    void clear() {
        Arrays.fill(slots.array(), (byte) 0);
        entries = 0;
    }

    private void hash(ByteBuffer key) {
        digest.update(key.duplicate());
        try {
            digest.digest(hash, 0, HASH_SIZE);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The slot holding {@link #hash}, or the empty slot where it belongs: the first probes start at
     * positions taken from successive bytes of the digest, then the search goes on linearly.
     */
    private int findSlot() {
        int attempt = 0;
        int slot = startSlot(0);
        while (true) {
            int position = slot * ENTRY_SIZE;
            if (slots.getLong(position + HASH_SIZE) == EMPTY) {
                return slot;
            }
            slots.get(position, probe);
            if (Arrays.equals(probe, hash)) {
                return slot;
            }
            attempt++;
            slot = attempt <= HASH_SIZE - Integer.BYTES ? startSlot(attempt) : (slot + 1) % slotCount;
        }
    }

    private int startSlot(int byteOffset) {
        int bits = ((hash[byteOffset] & 0xff) << 24) | ((hash[byteOffset + 1] & 0xff) << 16)
                | ((hash[byteOffset + 2] & 0xff) << 8) | (hash[byteOffset + 3] & 0xff);
        return Math.floorMod(bits, slotCount);
    }
}
