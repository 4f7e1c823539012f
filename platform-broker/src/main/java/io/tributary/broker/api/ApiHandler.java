package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Serves one API key of the Kafka protocol, for the versions it advertises. Errors the protocol can
 * carry are answered as error codes in the response, never thrown.
 *
 * @param <Q> the request class kafka-clients parses this API key into
 */
public interface ApiHandler<Q extends AbstractRequest> {

    ApiKeys apiKey();

    /** The oldest version served (and advertised in ApiVersions): by default every version kafka-clients parses. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** The newest version served (and advertised in ApiVersions): by default the newest stable one. */
    default short maxVersion() {
        return apiKey().latestVersion();
    }

    /**
     * Handles a request whose version lies within {@link #minVersion()}..{@link #maxVersion()}.
     *
     * @return the response, or a future completed with {@code null} when the protocol sends none
     *         (Produce with acks=0); may complete later (long-polling Fetch, acks=all)
     */
    CompletableFuture<AbstractResponse> handle(RequestContext context, Q request);
}
