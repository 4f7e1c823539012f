package io.tributary.broker.api;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Routes each decoded request to the handler of its API key and knows which versions the broker
 * serves: exactly those advertised in ApiVersions, which it always serves itself unless given a
 * handler for it.
 */
public final class ApiRouter {

    private final Map<ApiKeys, ApiHandler<?>> handlers = new EnumMap<>(ApiKeys.class);

    public ApiRouter(List<ApiHandler<?>> handlers) {
        for (ApiHandler<?> handler : handlers) {
            if (handler.minVersion() < handler.apiKey().oldestVersion()
                    || handler.maxVersion() > handler.apiKey().latestVersion(true)) {
                throw new IllegalArgumentException(handler.apiKey() + " handler serves versions that kafka-clients cannot parse");
            }
            if (this.handlers.put(handler.apiKey(), handler) != null) {
                throw new IllegalArgumentException("Two handlers for " + handler.apiKey());
            }
        }
        this.handlers.putIfAbsent(ApiKeys.API_VERSIONS, new ApiVersionsHandler(this));
    }

    public Optional<ApiHandler<?>> handler(ApiKeys apiKey) {
        return Optional.ofNullable(handlers.get(apiKey));
    }

    /** Whether the broker serves this version of this API. */
    public boolean supports(ApiKeys apiKey, short version) {
        ApiHandler<?> handler = handlers.get(apiKey);
        return handler != null && version >= handler.minVersion() && version <= handler.maxVersion();
    }

    /** The version ranges for an ApiVersions response. */
    public ApiVersionCollection advertisedVersions() {
        ApiVersionCollection versions = new ApiVersionCollection();
        for (ApiHandler<?> handler : handlers.values()) {
            versions.add(new ApiVersion().setApiKey(handler.apiKey().id)
                    .setMinVersion(handler.minVersion()).setMaxVersion(handler.maxVersion()));
        }
        return versions;
    }

    /**
     * Hands the request to its handler. The caller has checked {@link #supports}.
     *
     * @return the response, or a future of {@code null} when none is to be sent
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public CompletableFuture<AbstractResponse> route(RequestContext context, AbstractRequest request) {
        ApiHandler handler = handlers.get(context.header().apiKey());
        if (handler == null) {
            throw new IllegalStateException("No handler for " + context.header().apiKey());
        }
        return handler.handle(context, request);
    }
}
