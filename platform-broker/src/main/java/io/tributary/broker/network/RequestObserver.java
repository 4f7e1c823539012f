package io.tributary.broker.network;

import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Told about every request answered (or handled without an answer, such as Produce with
 * {@code acks=0}), for metrics. Called on the thread that completed the request; implementations
 * must be quick and must not throw.
 */
@FunctionalInterface
public interface RequestObserver {

    /** Does nothing. */
    RequestObserver NONE = (apiKey, version, latencyNanos, errorCounts) -> { };

    /**
     * @param latencyNanos from the request's parse to its response being serialized
     * @param errorCounts  the response's error codes and how often each occurs
     *                     ({@link org.apache.kafka.common.requests.AbstractResponse#errorCounts()}); empty
     *                     when no response is sent
     */
    void onRequest(ApiKeys apiKey, short version, long latencyNanos, Map<Errors, Integer> errorCounts);

    /**
     * A SASL authentication ended, well or not.
     *
     * @param mechanism the SASL mechanism the client chose
     * @param reauthentication whether the connection had authenticated before (KIP-368)
     */
    default void onAuthentication(String listenerName, String mechanism, boolean succeeded, boolean reauthentication) {
    }
}
