package io.tributary.broker.cluster;

import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.function.Function;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

/**
 * A broker authenticating to another broker as a Kafka client does (KIP-152): SaslHandshake names
 * the mechanism, then SaslAuthenticate carries the tokens of kafka-clients' SCRAM client, or the
 * JDK's PLAIN client, until both sides are done.
 */
final class SaslClientExchange {

    private final InterBrokerClient security;
    private final String host;

    SaslClientExchange(InterBrokerClient security, String host) {
        this.security = security;
        this.host = host;
    }

    /**
     * @param call sends one request on the connection and returns its response
     * @throws SaslAuthenticationException when the other broker refuses, with its message
     */
    void authenticate(Function<AbstractRequest, AbstractResponse> call) {
        String mechanism = security.saslMechanism();
        SaslHandshakeResponse handshake = (SaslHandshakeResponse) call.apply(new SaslHandshakeRequest.Builder(
                new SaslHandshakeRequestData().setMechanism(mechanism)).build((short) 1));
        Errors handshakeError = Errors.forCode(handshake.data().errorCode());
        if (handshakeError != Errors.NONE) {
            throw new SaslAuthenticationException("Broker at " + host + " refused SASL mechanism " + mechanism + " ("
                    + handshakeError + "); it offers " + handshake.data().mechanisms());
        }
        SaslClient client = newClient(mechanism);
        try {
            byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
            while (true) {
                SaslAuthenticateResponse response = (SaslAuthenticateResponse) call.apply(new SaslAuthenticateRequest.Builder(
                        new SaslAuthenticateRequestData().setAuthBytes(token)).build((short) 1));
                Errors error = Errors.forCode(response.data().errorCode());
                if (error != Errors.NONE) {
                    throw new SaslAuthenticationException("Broker at " + host + " refused user " + security.username()
                            + ": " + response.data().errorMessage());
                }
                if (client.isComplete()) {
                    return;
                }
                token = client.evaluateChallenge(response.data().authBytes());
                if (client.isComplete()) {
                    return;
                }
            }
        } catch (SaslException e) {
            throw new SaslAuthenticationException("SASL " + mechanism + " with the broker at " + host + " failed: " + e.getMessage(), e);
        } finally {
            try {
                client.dispose();
            } catch (SaslException e) {
                // nothing held that matters
            }
        }
    }

    private SaslClient newClient(String mechanism) {
        CallbackHandler credentials = this::handle;
        try {
            if ("PLAIN".equals(mechanism)) {
                return Sasl.createSaslClient(new String[] {mechanism}, null, "kafka", host, Map.of(), credentials);
            }
            return new ScramSaslClient(ScramMechanism.forMechanismName(mechanism), credentials);
        } catch (SaslException | NoSuchAlgorithmException | RuntimeException e) {
            throw new SaslAuthenticationException("Cannot authenticate with SASL mechanism " + mechanism + ": " + e.getMessage(), e);
        }
    }

    private void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(security.username());
            } else if (callback instanceof PasswordCallback password) {
                password.setPassword(security.password().toCharArray());
            } else if (callback instanceof ScramExtensionsCallback) {
                // no extensions: not a delegation token
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
