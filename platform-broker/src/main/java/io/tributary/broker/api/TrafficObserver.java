package io.tributary.broker.api;

/**
 * Told about the record bytes that Produce brings in and Fetch sends out, per topic, for metrics.
 * Called on request handler threads; implementations must be quick and must not throw.
 */
public interface TrafficObserver {

    /** Does nothing. */
    TrafficObserver NONE = new TrafficObserver() {
        @Override
        public void produced(String topic, long bytes, long records) {
        }

        @Override
        public void fetched(String topic, long bytes, long records) {
        }
    };

    /** A batch appended to a partition of the topic: its size and the number of records in it. */
    void produced(String topic, long bytes, long records);

    /** Record batches of the topic in a Fetch response: their size and the records in them. */
    void fetched(String topic, long bytes, long records);
}
