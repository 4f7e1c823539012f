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
 * the network layer answers it itself, since the exchange belongs to the connection. Version 1 only:
 * version 0 would be followed by raw SASL tokens outside the Kafka protocol.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequest> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SaslHandshakeRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponse(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code()).setMechanisms(List.of())));
    }
}
