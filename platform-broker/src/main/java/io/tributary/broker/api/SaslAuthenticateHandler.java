package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;

/**
 * SaslAuthenticate where no SASL exchange can happen: on a listener without SASL. On a SASL listener
 * the network layer answers it itself, since the exchange belongs to the connection.
 */
public final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequest> {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SaslAuthenticateRequest request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate on listener " + context.listenerName() + ", which does not use SASL")
                .setAuthBytes(new byte[0])));
    }
}
