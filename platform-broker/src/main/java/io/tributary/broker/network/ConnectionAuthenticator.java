package io.tributary.broker.network;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.PlaintextAuthenticationContext;
import org.apache.kafka.common.security.auth.SaslAuthenticationContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.auth.SslAuthenticationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is at the other end of one connection, and the SASL exchange that tells it (KIP-152):
 * SaslHandshake picks a mechanism, then SaslAuthenticate requests carry its tokens until the
 * mechanism's server is complete. On a listener without SASL the principal comes from the TLS
 * session (the client certificate's subject) or is {@code User:ANONYMOUS}.
 *
 * <p>An authenticated client may authenticate again on the same connection (KIP-368), as the same
 * principal and with the same mechanism; when {@code connections.max.reauth.ms} is set, it must do
 * so before its session expires, or its next request closes the connection.
 *
 * <p>Threading: the exchange ({@link #handshake}, {@link #authenticate}) runs on the connection's
 * serial request executor; the event loop reads the outcome through volatile fields.
 */
final class ConnectionAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(ConnectionAuthenticator.class);

    /** The requests a SASL connection may send before it has authenticated; anything else closes it. */
    private static final Set<ApiKeys> BEFORE_AUTHENTICATION = Set.of(ApiKeys.API_VERSIONS, ApiKeys.SASL_HANDSHAKE,
            ApiKeys.SASL_AUTHENTICATE);

    /** What one step of the exchange answers, and what becomes of the connection. */
    record Step(AbstractResponse response, Outcome outcome, byte[] rawChallenge) {

        Step(AbstractResponse response, Outcome outcome) {
            this(response, outcome, null);
        }
    }

    enum Outcome {
        /** More tokens are expected, or the handshake is done. */
        CONTINUE,
        /** The client authenticated: it may send any request now. */
        AUTHENTICATED,
        /** The answer is an error; the connection closes after it (after the failed-authentication delay). */
        FAILED
    }

    private final ListenerSecurity security;
    private final InetAddress clientAddress;
    private final Supplier<SSLSession> sslSession;

    private volatile KafkaPrincipal principal;
    /** After a SaslHandshake v0 the client sends bare size-prefixed SASL tokens, not SaslAuthenticate requests. */
    private volatile boolean rawTokens;
    /** When the session ends, in {@link System#nanoTime()}; meaningful only while {@link #sessionLimited}. */
    private volatile long sessionExpiresAtNanos;
    private volatile boolean sessionLimited;

    // Request-executor state of the exchange under way.
    private SaslServer server;
    private volatile String mechanism;
    private String authenticatedMechanism;
    private volatile boolean authenticatedBefore;

    /** @param sslSession the connection's TLS session, asked only on a TLS listener once the handshake is done */
    ConnectionAuthenticator(ListenerSecurity security, InetAddress clientAddress, Supplier<SSLSession> sslSession) {
        this.security = security;
        this.clientAddress = clientAddress;
        this.sslSession = sslSession;
    }

    boolean usesSasl() {
        return security.usesSasl();
    }

    boolean isAuthenticated() {
        return !security.usesSasl() || principal != null;
    }

    /** Whether {@code apiKey} may be handled now; {@link #isAuthenticated()} or one of the three SASL-time APIs. */
    boolean mayHandle(ApiKeys apiKey) {
        return isAuthenticated() || BEFORE_AUTHENTICATION.contains(apiKey);
    }

    /** Whether the session has outlived {@code connections.max.reauth.ms} without the client authenticating again. */
    boolean sessionExpired() {
        // The clock is read only for a session with a lifetime: most connections have none, and this is asked per request.
        return sessionLimited && System.nanoTime() - sessionExpiresAtNanos > 0;
    }

    /**
     * The authenticated principal: the SASL user, the certificate's mapped subject on a TLS listener,
     * or {@code User:ANONYMOUS} (also on a SASL listener before authentication). On the event loop.
     */
    KafkaPrincipal principal() {
        KafkaPrincipal known = principal;
        if (known == null && security.usesSasl()) {
            // ApiVersions before authentication
            return KafkaPrincipal.ANONYMOUS;
        }
        if (known == null) {
            // Not SASL: the principal is known once the TLS handshake is done, which it is when a request arrives.
            known = security.principalBuilder().build(security.usesTls()
                    ? new SslAuthenticationContext(sslSession.get(), clientAddress, security.listener().name())
                    : new PlaintextAuthenticationContext(clientAddress, security.listener().name()));
            principal = known;
        }
        return known;
    }

    String listenerName() {
        return security.listener().name();
    }

    SecurityProtocol securityProtocol() {
        return security.listener().securityProtocol();
    }

    Duration failedAuthenticationDelay() {
        return security.authentication().failedAuthenticationDelay();
    }

    /** Whether an exchange before the one that just ended authenticated this connection: this one re-authenticated. */
    boolean hasAuthenticatedBefore() {
        return authenticatedBefore;
    }

    /** The mechanism of the exchange that just ended, for metrics; {@code unknown} before any handshake. */
    String attemptedMechanism() {
        String attempted = mechanism;
        return attempted == null ? "unknown" : attempted;
    }

    /** The error of a failed step's answer, for the log line that closes the connection. */
    String describeFailure(AbstractResponse response) {
        if (response instanceof SaslAuthenticateResponse authenticate) {
            return Errors.forCode(authenticate.data().errorCode()) + ": " + authenticate.data().errorMessage();
        }
        if (response instanceof SaslHandshakeResponse handshake) {
            return Errors.forCode(handshake.data().errorCode()).name();
        }
        return String.valueOf(response);
    }

    /** On the request executor. */
    Step handshake(SaslHandshakeRequest request, short version) {
        String requested = request.data().mechanism();
        SaslHandshakeResponseData data = new SaslHandshakeResponseData().setMechanisms(security.sasl().enabled());
        if (server != null) {
            return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())), Outcome.FAILED);
        }
        if (!security.sasl().isEnabled(requested)) {
            return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())), Outcome.FAILED);
        }
        if (authenticatedMechanism != null && !authenticatedMechanism.equals(requested)) {
            // Re-authentication keeps the mechanism, as Kafka requires.
            return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())), Outcome.FAILED);
        }
        server = security.sasl().newServer(requested);
        mechanism = requested;
        rawTokens = version == 0;
        return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.NONE.code())), Outcome.CONTINUE);
    }

    /** Whether the next frame is a bare SASL token (after a SaslHandshake v0, as older librdkafka clients do). */
    boolean expectsRawToken() {
        return rawTokens;
    }

    /**
     * One bare token after a SaslHandshake v0; on the request executor. A failure has nothing to
     * answer with (the legacy exchange has no error field), so the connection just closes, as Kafka does.
     */
    Step authenticateRaw(byte[] token) {
        Step step = authenticate(new SaslAuthenticateRequest(new org.apache.kafka.common.message.SaslAuthenticateRequestData()
                .setAuthBytes(token), (short) 0), (short) 0);
        if (step.outcome() != Outcome.CONTINUE) {
            rawTokens = false;
        }
        byte[] challenge = step.response() instanceof SaslAuthenticateResponse answer ? answer.data().authBytes() : new byte[0];
        return new Step(step.response(), step.outcome(), challenge);
    }

    /** On the request executor. */
    Step authenticate(SaslAuthenticateRequest request, short version) {
        if (server == null) {
            return failure(Errors.ILLEGAL_SASL_STATE, "SaslAuthenticate before a SaslHandshake chose a mechanism");
        }
        byte[] challenge;
        try {
            challenge = server.evaluateResponse(request.data().authBytes());
        } catch (SaslAuthenticationException | SaslException e) {
            log.debug("SASL {} on listener {} from {} failed: {}", mechanism, security.listener().name(), clientAddress, e.toString());
            // The same answer whether the user is unknown or the password wrong, as Kafka gives it.
            return failure(Errors.SASL_AUTHENTICATION_FAILED,
                    "Authentication failed during authentication due to invalid credentials with SASL mechanism " + mechanism);
        }
        SaslAuthenticateResponseData data = new SaslAuthenticateResponseData().setErrorCode(Errors.NONE.code())
                .setAuthBytes(challenge == null ? new byte[0] : challenge);
        if (!server.isComplete()) {
            return new Step(new SaslAuthenticateResponse(data), Outcome.CONTINUE);
        }
        KafkaPrincipal authenticated = security.principalBuilder().build(new SaslAuthenticationContext(server,
                security.listener().securityProtocol(), clientAddress, security.listener().name(),
                security.usesTls() ? Optional.of(sslSession.get()) : Optional.empty()));
        KafkaPrincipal previous = principal;
        authenticatedBefore = previous != null;
        disposeServer();
        if (previous != null && !previous.equals(authenticated)) {
            return failure(Errors.SASL_AUTHENTICATION_FAILED, "Re-authentication cannot change the principal");
        }
        long lifetimeMs = security.authentication().maxReauthentication().toMillis();
        if (lifetimeMs > 0) {
            // Clients before SaslAuthenticate v1 are not told; their connection closes when the session is over.
            if (version >= 1) {
                data.setSessionLifetimeMs(lifetimeMs);
            }
            sessionExpiresAtNanos = System.nanoTime() + lifetimeMs * 1_000_000L;
            sessionLimited = true;
        }
        authenticatedMechanism = mechanism;
        principal = authenticated;
        return new Step(new SaslAuthenticateResponse(data), Outcome.AUTHENTICATED);
    }

    /** Releases what a half-done exchange holds; on connection close. */
    void close() {
        disposeServer();
    }

    private Step failure(Errors error, String message) {
        disposeServer();
        return new Step(new SaslAuthenticateResponse(new SaslAuthenticateResponseData().setErrorCode(error.code())
                .setErrorMessage(message).setAuthBytes(new byte[0])), Outcome.FAILED);
    }

    private void disposeServer() {
        if (server != null) {
            try {
                server.dispose();
            } catch (SaslException e) {
                // nothing held that matters
            }
            server = null;
        }
    }
}
