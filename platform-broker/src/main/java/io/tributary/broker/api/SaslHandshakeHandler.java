package io.tributary.broker.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

/**
 * SaslHandshake where no SASL exchange can happen: on a listener without SASL. On a SASL listener
 * the network layer answers it itself, since the exchange belongs to the connection (after version 0,
 * which librdkafka still offers to look for, the client sends bare SASL tokens rather than SaslAuthenticate).
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequest> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SaslHandshakeRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponse(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code()).setMechanisms(List.of())));
    }
}
