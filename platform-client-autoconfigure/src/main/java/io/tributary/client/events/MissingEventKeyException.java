package io.tributary.client.events;

/** A record without a key on a topic whose events must stay in order per key. */
public class MissingEventKeyException extends EventException {

    public MissingEventKeyException(String topic) {
        super("the record has no key, and topic '" + topic + "' requires one to keep its events in order", null);
    }
}
