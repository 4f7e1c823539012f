package io.tributary.broker.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tributary.broker.api.ApiRouter;
import io.tributary.broker.api.RequestContext;

/**
 * Serves the requests of one connection: parses each frame from {@link KafkaFrameDecoder} with
 * kafka-clients, hands it to the {@link ApiRouter} on the request executor, and writes the
 * responses back in the order the requests came, however the handlers' futures complete.
 *
 * <p>What closes the connection (logged once, at WARN): a request too short for a header, an API
 * key kafka-clients does not know, a version of it kafka-clients cannot parse, a malformed header
 * or body, an oversized frame, and an error that cannot be answered (Produce with {@code acks=0}).
 * What is answered instead:
 * <ul>
 * <li>ApiVersions at a version the broker does not serve: an ApiVersions v0 response with
 * {@code UNSUPPORTED_VERSION} and the versions the broker does serve, so the client can retry with
 * one (KIP-511). Only the correlation id is read from such a request, from the fixed place every
 * header version keeps it, since its header and body may be of a newer form than ours.
 * <li>Another API at a version kafka-clients knows but the broker does not serve: that request's
 * own error response with {@code UNSUPPORTED_VERSION}.
 * <li>A handler failure: the request's error response for that exception
 * ({@code UNKNOWN_SERVER_ERROR} unless it is a Kafka {@code ApiException}).
 * </ul>
 * Bytes after a request's body are ignored, as Kafka does, for the forward compatibility of
 * tagged fields; the frame decoder guarantees they belong to this request.
 *
 * <p>Flow control: at most {@code maxInFlight} requests are being handled or waiting for their
 * turn to be written. At the limit, or while the socket's write buffer is full, the channel stops
 * reading; the frames decoded from bytes already read wait in {@link #received}, which is thereby
 * bounded by one socket read.
 *
 * <p>Threading: the state is confined to the channel's event loop. Handlers run on the request
 * executor; their futures may complete on any thread, where the response is serialized before
 * being handed to the event loop.
 */
final class KafkaRequestHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(KafkaRequestHandler.class);

    /** API key, API version and correlation id: the start every request header version shares. */
    private static final int FIXED_HEADER_BYTES = 8;

    private final ApiRouter router;
    private final Executor requestExecutor;
    private final int maxInFlight;
    private final String connectionId;
    private final RequestObserver observer;
    private final ConnectionAuthenticator authenticator;
    /** Where to raise the frame limit once a SASL client has authenticated; null on other listeners. */
    private final KafkaFrameDecoder frameDecoder;
    private final int maxFrameBytes;
    private final Duration failedAuthenticationDelay;

    /** Frames read but not yet dispatched. */
    private final ArrayDeque<ByteBuf> received = new ArrayDeque<>();
    /** Dispatched requests in arrival order; the head's response is the next to be written. */
    private final ArrayDeque<PendingResponse> inFlight = new ArrayDeque<>();
    private final ChannelFutureListener closeOnWriteFailure = future -> {
        if (!future.isSuccess()) {
            closeConnection(Level.DEBUG, "writing a response failed: {}", future.cause().toString());
        }
    };
    private ChannelHandlerContext ctx;
    private InetAddress clientAddress;
    private boolean closing;

    KafkaRequestHandler(ApiRouter router, Executor requestExecutor, int maxInFlight, String connectionId) {
        this(router, requestExecutor, maxInFlight, connectionId, RequestObserver.NONE);
    }

    KafkaRequestHandler(ApiRouter router, Executor requestExecutor, int maxInFlight, String connectionId,
            RequestObserver observer) {
        this(router, requestExecutor, maxInFlight, connectionId, observer, null, null, 0);
    }

    /**
     * @param authenticator who the client is; {@code null} for a PLAINTEXT listener's anonymous clients
     * @param frameDecoder the connection's decoder, whose limit is raised to {@code maxFrameBytes} once a
     *        SASL client has authenticated
     */
    KafkaRequestHandler(ApiRouter router, Executor requestExecutor, int maxInFlight, String connectionId,
            RequestObserver observer, ConnectionAuthenticator authenticator, KafkaFrameDecoder frameDecoder, int maxFrameBytes) {
        this.observer = observer;
        this.authenticator = authenticator;
        this.frameDecoder = frameDecoder;
        this.maxFrameBytes = maxFrameBytes;
        this.failedAuthenticationDelay = authenticator == null ? Duration.ZERO
                : authenticator.failedAuthenticationDelay();
        this.router = router;
        // Requests of one connection are handled in the order they came: a producer pipelining
        // batches of a partition relies on it.
        this.requestExecutor = new SerialExecutor(requestExecutor);
        this.maxInFlight = maxInFlight;
        this.connectionId = connectionId;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
            clientAddress = remote.getAddress();
        }
        updateReading();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            frame.release();
            return;
        }
        received.add(frame);
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (inFlight.isEmpty() && received.isEmpty()) {
                closeConnection(Level.DEBUG, "idle for connections.max.idle.ms");
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof FrameOversizedException) {
            closeConnection(Level.WARN, cause.getMessage());
        } else if (cause instanceof IOException) {
            closeConnection(Level.DEBUG, cause.toString());
        } else {
            if (!closing) {
                log.warn("Closing connection {} from {} after an unexpected error", connectionId, clientAddress, cause);
            }
            closeConnection(Level.DEBUG, cause.toString());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        if (authenticator != null) {
            authenticator.close();
        }
        inFlight.forEach(PendingResponse::release);
        inFlight.clear();
        received.forEach(ReferenceCountUtil::release);
        received.clear();
        ctx.fireChannelInactive();
    }

    /** Writes the responses whose turn has come and dispatches what the in-flight limit allows. */
    private void drain() {
        boolean wrote = false;
        while (!closing) {
            PendingResponse head = inFlight.peek();
            if (head != null && head.isReady()) {
                inFlight.poll();
                wrote |= head.writeTo(ctx, closeOnWriteFailure);
            } else if (!received.isEmpty() && inFlight.size() < maxInFlight) {
                handle(received.poll());
            } else {
                break;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        updateReading();
    }

    private void updateReading() {
        boolean read = !closing && received.isEmpty() && inFlight.size() < maxInFlight && ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(read);
    }

    /**
     * Parses a frame and dispatches it. The request is parsed from the network buffer itself, without
     * a copy: Produce's records are a view of it until they are appended. So a dispatched request's
     * frame is released only once its handler is done with it (see {@link #dispatch}), even if the
     * connection closes meanwhile; every other frame here, at once.
     */
    private void handle(ByteBuf frame) {
        boolean dispatched = false;
        try {
            dispatched = handle(frame, frame.nioBuffer());
        } finally {
            if (!dispatched) {
                frame.release();
            }
        }
    }

    /** Whether the request went to the request executor, which then owns its frame. */
    private boolean handle(ByteBuf frame, ByteBuffer buffer) {
        if (authenticator != null && authenticator.expectsRawToken()) {
            handleRawToken(buffer);
            return false;
        }
        if (buffer.remaining() < FIXED_HEADER_BYTES) {
            closeConnection(Level.WARN, "a request of {} bytes is too short for a request header", buffer.remaining());
            return false;
        }
        short apiKeyId = buffer.getShort(0);
        short version = buffer.getShort(2);
        if (!ApiKeys.hasId(apiKeyId)) {
            closeConnection(Level.WARN, "unknown API key {}", apiKeyId);
            return false;
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        if (authenticator != null && !authenticator.mayHandle(apiKey)) {
            closeConnection(Level.WARN, "{} before authentication (only ApiVersions, SaslHandshake and SaslAuthenticate may come first)",
                    apiKey);
            return false;
        }
        if (authenticator != null && apiKey != ApiKeys.SASL_HANDSHAKE && apiKey != ApiKeys.SASL_AUTHENTICATE
                && apiKey != ApiKeys.API_VERSIONS && authenticator.sessionExpired()) {
            closeConnection(Level.INFO, "its session expired without re-authentication (connections.max.reauth.ms)");
            return false;
        }
        boolean parseable = version >= apiKey.oldestVersion() && version <= apiKey.latestVersion(true);
        if (apiKey == ApiKeys.API_VERSIONS && !(parseable && router.supports(apiKey, version))) {
            answerUnsupportedApiVersions(buffer.getInt(4), version);
            return false;
        }
        if (!parseable) {
            closeConnection(Level.WARN, "{} v{} is a version kafka-clients cannot parse", apiKey, version);
            return false;
        }
        RequestHeader header;
        AbstractRequest request;
        try {
            header = RequestHeader.parse(buffer);
            request = AbstractRequest.parseRequest(apiKey, version, new ByteBufferAccessor(buffer)).request;
        } catch (RuntimeException e) {
            closeConnection(Level.WARN, "malformed {} v{} request: {}", apiKey, version, describe(e));
            return false;
        }
        if (buffer.hasRemaining() && log.isDebugEnabled()) {
            log.debug("Ignoring {} bytes after the body of {} on connection {}", buffer.remaining(), header, connectionId);
        }
        PendingResponse pending = new PendingResponse(header, request);
        inFlight.add(pending);
        if (!router.supports(apiKey, version)) {
            log.debug("{} v{} is not served; answering UNSUPPORTED_VERSION on connection {}", apiKey, version, connectionId);
            List<Object> parts = encode(pending, null, Errors.UNSUPPORTED_VERSION.exception());
            if (parts == null) {
                closeConnection(Level.WARN, "{} v{} is not served and has no error response", apiKey, version);
            } else {
                pending.ready(parts);
            }
            return false;
        }
        if (authenticator != null && authenticator.usesSasl()
                && (apiKey == ApiKeys.SASL_HANDSHAKE || apiKey == ApiKeys.SASL_AUTHENTICATE)) {
            return execute(() -> authenticate(pending, frame));
        }
        RequestContext context = authenticator == null ? new RequestContext(header, connectionId, clientAddress)
                : new RequestContext(header, connectionId, clientAddress, authenticator.principal(),
                        authenticator.listenerName(), authenticator.securityProtocol());
        return execute(() -> dispatch(pending, context, frame));
    }

    /** Whether the task was taken: once taken, it alone releases the request's frame. */
    private boolean execute(Runnable task) {
        try {
            requestExecutor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            closeConnection(Level.DEBUG, "the broker is shutting down");
            return false;
        }
    }

    /** On the request executor. */
    private void dispatch(PendingResponse pending, RequestContext context, ByteBuf frame) {
        CompletableFuture<AbstractResponse> future;
        try {
            future = router.route(context, pending.request);
            if (future == null) {
                future = CompletableFuture.failedFuture(new IllegalStateException(
                        "The " + context.header().apiKey() + " handler returned no future"));
            }
        } catch (Throwable e) {
            // As Kafka does: whatever a handler throws is answered as an error, never left unanswered.
            future = CompletableFuture.failedFuture(e);
        }
        future.whenComplete((response, failure) -> onHandled(pending, response, failure, frame));
    }

    /** A step of the SASL exchange, on the request executor (in order with the connection's other requests). */
    private void authenticate(PendingResponse pending, ByteBuf frame) {
        ConnectionAuthenticator.Step step;
        try {
            step = authenticationStep(pending);
        } finally {
            frame.release();
        }
        answerAuthentication(pending, encode(pending, step.response(), null), step);
    }

    /** A bare SASL token after SaslHandshake v0: answered with a bare, size-prefixed challenge. */
    private void handleRawToken(ByteBuffer buffer) {
        byte[] token = new byte[buffer.remaining()];
        buffer.get(token);
        PendingResponse pending = new PendingResponse(null, null);
        inFlight.add(pending);
        try {
            requestExecutor.execute(() -> {
                ConnectionAuthenticator.Step step = authenticator.authenticateRaw(token);
                List<Object> parts = List.of();
                if (step.outcome() != ConnectionAuthenticator.Outcome.FAILED) {
                    ByteBuf challenge = ctx.alloc().buffer(4 + step.rawChallenge().length);
                    parts = List.of(challenge.writeInt(step.rawChallenge().length).writeBytes(step.rawChallenge()));
                }
                answerAuthentication(pending, parts, step);
            });
        } catch (RejectedExecutionException e) {
            closeConnection(Level.DEBUG, "the broker is shutting down");
        }
    }

    /**
     * Hands a step of the SASL exchange to the event loop: its answer, the full frame limit once the
     * client has authenticated, and for a failure the close, both held back by the failed-authentication
     * delay. On the request executor.
     *
     * @param parts the answer's messages; {@code null} when it cannot be serialized
     */
    private void answerAuthentication(PendingResponse pending, List<Object> parts, ConnectionAuthenticator.Step step) {
        ConnectionAuthenticator.Outcome outcome = step.outcome();
        if (outcome != ConnectionAuthenticator.Outcome.CONTINUE) {
            observer.onAuthentication(authenticator.listenerName(), authenticator.attemptedMechanism(),
                    outcome == ConnectionAuthenticator.Outcome.AUTHENTICATED, authenticator.hasAuthenticatedBefore());
        }
        Runnable answer = () -> {
            if (parts == null || closing) {
                if (parts != null) {
                    parts.forEach(ReferenceCountUtil::release);
                }
                closeConnection(Level.DEBUG, "authentication ended");
                return;
            }
            pending.ready(parts);
            if (outcome == ConnectionAuthenticator.Outcome.AUTHENTICATED) {
                frameDecoder.maxFrameBytes(maxFrameBytes, "socket.request.max.bytes");
            }
            drain();
            if (outcome == ConnectionAuthenticator.Outcome.FAILED) {
                closeConnection(Level.INFO, "authentication failed ({})", authenticator.describeFailure(step.response()));
            }
        };
        try {
            if (outcome == ConnectionAuthenticator.Outcome.FAILED && !failedAuthenticationDelay.isZero()) {
                // Kafka's connection.failed.authentication.delay.ms: the answer and the close wait together.
                ctx.executor().schedule(answer, failedAuthenticationDelay.toNanos(), TimeUnit.NANOSECONDS);
            } else {
                ctx.executor().execute(answer);
            }
        } catch (RejectedExecutionException e) {
            if (parts != null) {
                parts.forEach(ReferenceCountUtil::release);
            }
        }
    }

    private ConnectionAuthenticator.Step authenticationStep(PendingResponse pending) {
        try {
            return pending.request instanceof SaslHandshakeRequest handshake
                    ? authenticator.handshake(handshake, pending.header.apiVersion())
                    : authenticator.authenticate((SaslAuthenticateRequest) pending.request, pending.header.apiVersion());
        } catch (RuntimeException e) {
            log.warn("Authentication on connection {} failed unexpectedly", connectionId, e);
            return new ConnectionAuthenticator.Step(pending.request.getErrorResponse(e), ConnectionAuthenticator.Outcome.FAILED);
        }
    }

    /** On whichever thread completed the handler's future; the handler is done with the request's frame. */
    private void onHandled(PendingResponse pending, AbstractResponse response, Throwable failure, ByteBuf frame) {
        List<Object> parts;
        try {
            parts = encode(pending, response, failure);
        } finally {
            frame.release();
        }
        try {
            ctx.executor().execute(() -> {
                if (parts == null) {
                    closeConnection(Level.DEBUG, "no response can be sent for a failed {}", pending.header);
                } else if (closing) {
                    parts.forEach(ReferenceCountUtil::release);
                } else {
                    pending.ready(parts);
                    drain();
                }
            });
        } catch (RejectedExecutionException e) {
            if (parts != null) {
                parts.forEach(ReferenceCountUtil::release);
            }
        }
    }

    /**
     * The messages of a response, an empty list when none is to be sent, or {@code null} when the
     * connection must be closed instead (a failure that has no error response, or that cannot be
     * serialized).
     */
    private List<Object> encode(PendingResponse pending, AbstractResponse response, Throwable failure) {
        RequestHeader header = pending.header;
        try {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                if (Errors.forException(cause) != Errors.UNSUPPORTED_VERSION) {
                    log.warn("{} on connection {} failed", header, connectionId, cause);
                }
                // null for Produce with acks=0: the client expects no response, so the error is
                // signalled by closing the connection, as Kafka does.
                response = pending.request.getErrorResponse(cause);
                if (response == null) {
                    return null;
                }
            }
            observe(pending, response);
            if (response == null) {
                return List.of();
            }
            short version = header.apiVersion();
            ResponseHeader responseHeader = new ResponseHeader(header.correlationId(), header.apiKey().responseHeaderVersion(version));
            return ResponseWriter.encode(ctx.alloc(), responseHeader, response.data(), version);
        } catch (RuntimeException e) {
            log.error("Cannot serialize the response to {} on connection {}", header, connectionId, e);
            return null;
        }
    }

    private void observe(PendingResponse pending, AbstractResponse response) {
        try {
            observer.onRequest(pending.header.apiKey(), pending.header.apiVersion(), System.nanoTime() - pending.receivedNanos,
                    response == null ? Map.of() : response.errorCounts());
        } catch (RuntimeException e) {
            log.warn("The request observer failed on {}", pending.header, e);
        }
    }

    private void answerUnsupportedApiVersions(int correlationId, short version) {
        log.debug("ApiVersions v{} is not served; answering v0 with UNSUPPORTED_VERSION on connection {}", version, connectionId);
        ApiVersionsResponseData data = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(router.advertisedVersions());
        PendingResponse pending = new PendingResponse(null, null);
        inFlight.add(pending);
        // ApiVersions responses always have header v0, so that any client can read this one.
        pending.ready(ResponseWriter.encode(ctx.alloc(), new ResponseHeader(correlationId, (short) 0), data, (short) 0));
    }

    /** Closes the connection, logging why if it is the first reason; on the event loop only. */
    private void closeConnection(Level level, String reason, Object... args) {
        if (closing) {
            return;
        }
        closing = true;
        if (log.isEnabledForLevel(level)) {
            log.atLevel(level).log("Closing connection " + connectionId + " from " + clientAddress + ": " + reason, args);
        }
        // Responses already written go out before the close.
        ctx.flush();
        ctx.close();
    }

    private static Throwable unwrap(Throwable failure) {
        if ((failure instanceof CompletionException || failure instanceof ExecutionException) && failure.getCause() != null) {
            return failure.getCause();
        }
        return failure;
    }

    /** The messages of an exception and its causes, on one line. */
    private static String describe(Throwable e) {
        StringBuilder description = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.toString());
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
            description.append(": ").append(cause.getMessage() != null ? cause.getMessage() : cause.toString());
        }
        return description.toString();
    }

    /**
     * A request's place in the response order; its messages once the response is serialized. Read
     * and written on the event loop only.
     */
    private static final class PendingResponse {

        final RequestHeader header;
        final AbstractRequest request;
        final long receivedNanos = System.nanoTime();
        private List<Object> parts;

        PendingResponse(RequestHeader header, AbstractRequest request) {
            this.header = header;
            this.request = request;
        }

        boolean isReady() {
            return parts != null;
        }

        void ready(List<Object> parts) {
            this.parts = parts;
        }

        /** Hands the messages to Netty, which releases them; whether there were any. */
        boolean writeTo(ChannelHandlerContext ctx, ChannelFutureListener onFailure) {
            for (Object part : parts) {
                ctx.write(part).addListener(onFailure);
            }
            boolean wrote = !parts.isEmpty();
            parts = List.of();
            return wrote;
        }

        void release() {
            if (parts != null) {
                parts.forEach(ReferenceCountUtil::release);
                parts = List.of();
            }
        }
    }
}
