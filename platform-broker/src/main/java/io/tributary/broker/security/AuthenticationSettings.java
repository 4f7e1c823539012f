package io.tributary.broker.security;

import java.time.Duration;
import java.util.Objects;

/**
 * How a broker treats connections that authenticate, named after Kafka's broker configs.
 *
 * @param failedAuthenticationDelay how long the answer to a failed authentication, and the close
 *        that follows it, are held back ({@code connection.failed.authentication.delay.ms}): it slows
 *        down password guessing and keeps a client that retries at once from spinning
 * @param maxReauthentication the longest an authenticated session lasts before the client must
 *        authenticate again on the same connection (KIP-368, {@code connections.max.reauth.ms});
 *        zero for sessions that last as long as their connection
 * @param maxPreAuthenticationBytes the largest frame accepted before a SASL connection has
 *        authenticated ({@code sasl.server.max.receive.size}), so a stranger's length prefix cannot
 *        make the broker allocate much
 */
public record AuthenticationSettings(Duration failedAuthenticationDelay, Duration maxReauthentication, int maxPreAuthenticationBytes) {

    public static final AuthenticationSettings DEFAULTS = new AuthenticationSettings(Duration.ofMillis(100), Duration.ZERO, 512 * 1024);

    public AuthenticationSettings {
        Objects.requireNonNull(failedAuthenticationDelay, "failedAuthenticationDelay");
        Objects.requireNonNull(maxReauthentication, "maxReauthentication");
        if (failedAuthenticationDelay.isNegative() || maxReauthentication.isNegative()) {
            throw new IllegalArgumentException("Authentication delays cannot be negative");
        }
        if (maxPreAuthenticationBytes <= 0) {
            throw new IllegalArgumentException("maxPreAuthenticationBytes must be positive, was " + maxPreAuthenticationBytes);
        }
    }
}
