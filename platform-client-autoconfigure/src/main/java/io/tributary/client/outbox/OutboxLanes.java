package io.tributary.client.outbox;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which lane an outbox row travels in. A lane is the unit a relay locks: all rows of one key share a
 * lane, so the one relay holding that lane publishes them, in id order, while other relays take other
 * lanes.
 */
final class OutboxLanes {

    /** As many as {@code R__tributary_outbox.sql} inserts into {@code tributary_outbox_lane}: the two must agree. */
    static final int COUNT = 16;

    private OutboxLanes() {
    }

    /** Keyless rows have no order to keep, so their event id merely spreads them over the lanes. */
    static int of(String key, String eventId) {
        return Math.floorMod(hash(key != null ? key : eventId), COUNT);
    }

    /** Kafka's own key hash, so that equal keys meet in one lane whatever the JVM's String hash does. */
    static int hash(String value) {
        return Utils.murmur2(value.getBytes(StandardCharsets.UTF_8));
    }
}
