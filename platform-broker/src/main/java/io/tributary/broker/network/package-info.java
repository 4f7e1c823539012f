/**
 * The broker's network layer: the Kafka listeners and the wire protocol on each connection.
 *
 * <p>{@link io.tributary.broker.network.KafkaServer} binds the port with Reactor Netty and gives every
 * connection a small Netty pipeline, one concern per handler: an idle timer, the
 * {@code KafkaFrameDecoder} that cuts the byte stream into size-prefixed frames (refusing an
 * oversized one before reading it), and the {@code KafkaRequestHandler} that parses each frame with
 * kafka-clients' generated message classes, calls the {@link io.tributary.broker.api.ApiRouter} on
 * request handler threads, and writes responses back in request order with a bounded number in
 * flight. {@code ResponseWriter} serializes responses, sending records that lie in log segments as
 * file regions ({@code sendfile}) rather than copies.
 *
 * <p>Each listener has its security ({@code ListenerSecurity}): TLS through Reactor Netty's
 * {@code SslHandler} (log segments are then copied rather than sent with {@code sendfile}), and on SASL
 * listeners a {@code ConnectionAuthenticator} per connection that runs SaslHandshake and
 * SaslAuthenticate, lets nothing else through before authentication, keeps frames small until then,
 * and names the principal every request is authorized as.
 *
 * <p>Connection-level failures (bad framing, unparseable requests, unknown API keys) close the
 * connection and are logged once; everything the protocol can express is answered as an error code.
 * This package knows the api package's router, the log's {@code LogSlice} and the security package's
 * listeners and SASL mechanisms, nothing else of the broker.
 */
package io.tributary.broker.network;
