package io.tributary.broker.network;

import java.time.Duration;
import java.util.Objects;

/**
 * How the Kafka listener accepts connections and how much it lets each one hold, named after
 * Kafka's broker configs.
 *
 * @param host interface to bind to ({@code 0.0.0.0} for all)
 * @param port port to bind to; {@code 0} picks a free one ({@link KafkaServer#port()} tells which)
 * @param maxRequestBytes the largest request frame accepted ({@code socket.request.max.bytes}); a
 *        connection announcing a larger one is closed before its body is read
 * @param maxInFlightRequestsPerConnection requests of one connection being handled or waiting for
 *        their response to be written; at the limit the connection is not read from
 * @param idleTimeout a connection with no traffic and no request under way for this long is closed
 *        ({@code connections.max.idle.ms})
 * @param maxConnections connections accepted beyond this many are closed at once
 *        ({@code max.connections})
 * @param requestHandlerThreads threads that run the API handlers, off the network event loops
 *        ({@code num.io.threads})
 */
public record NetworkSettings(String host, int port, int maxRequestBytes, int maxInFlightRequestsPerConnection,
        Duration idleTimeout, int maxConnections, int requestHandlerThreads) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 100;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public NetworkSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        requirePositive("maxRequestBytes", maxRequestBytes);
        requirePositive("maxInFlightRequestsPerConnection", maxInFlightRequestsPerConnection);
        requirePositive("maxConnections", maxConnections);
        requirePositive("requestHandlerThreads", requestHandlerThreads);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
    }

    /** A listener on {@code host:port} with Kafka's defaults for everything else. */
    public static NetworkSettings of(String host, int port) {
        return new NetworkSettings(host, port, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, defaultRequestHandlerThreads());
    }

    /** One request handler thread per core, and at least two so a slow handler does not stall all. */
    public static int defaultRequestHandlerThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public NetworkSettings withMaxRequestBytes(int maxRequestBytes) {
        return new NetworkSettings(host, port, maxRequestBytes, maxInFlightRequestsPerConnection, idleTimeout,
                maxConnections, requestHandlerThreads);
    }

    public NetworkSettings withMaxInFlightRequestsPerConnection(int maxInFlightRequestsPerConnection) {
        return new NetworkSettings(host, port, maxRequestBytes, maxInFlightRequestsPerConnection, idleTimeout,
                maxConnections, requestHandlerThreads);
    }

    public NetworkSettings withIdleTimeout(Duration idleTimeout) {
        return new NetworkSettings(host, port, maxRequestBytes, maxInFlightRequestsPerConnection, idleTimeout,
                maxConnections, requestHandlerThreads);
    }

    public NetworkSettings withMaxConnections(int maxConnections) {
        return new NetworkSettings(host, port, maxRequestBytes, maxInFlightRequestsPerConnection, idleTimeout,
                maxConnections, requestHandlerThreads);
    }

    public NetworkSettings withRequestHandlerThreads(int requestHandlerThreads) {
        return new NetworkSettings(host, port, maxRequestBytes, maxInFlightRequestsPerConnection, idleTimeout,
                maxConnections, requestHandlerThreads);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
