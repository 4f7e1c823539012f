package io.tributary.broker.network;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.broker.api.ApiRouter;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The broker's Kafka listener: accepts TCP connections and serves the Kafka protocol on them.
 *
 * <p>Reactor Netty's {@link TcpServer} binds the socket and runs the event loops (epoll where
 * available); the protocol itself is plain Netty. Each connection's pipeline gets an idle timer, a
 * {@link KafkaFrameDecoder} and a {@link KafkaRequestHandler}, placed before Reactor Netty's own
 * bridge handler; the request handler consumes every frame, so the reactive {@code handle} stays
 * empty and never subscribes to the inbound side. API handlers run on a pool of request handler
 * threads, never on an event loop.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}, which stops accepting, closes every
 * connection and stops the threads. Thread-safe.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);
    private static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final NetworkSettings settings;
    private final ApiRouter router;
    private final RequestObserver observer;
    private final ChannelGroup connections = new DefaultChannelGroup("tributary-kafka-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicLong connectionSequence = new AtomicLong();
    private LoopResources loops;
    private ThreadPoolExecutor requestExecutor;
    private DisposableServer server;
    private boolean closed;

    public KafkaServer(NetworkSettings settings, ApiRouter router) {
        this(settings, router, RequestObserver.NONE);
    }

    /** @param observer told about every request handled, for metrics */
    public KafkaServer(NetworkSettings settings, ApiRouter router, RequestObserver observer) {
        this.settings = settings;
        this.router = router;
        this.observer = observer == null ? RequestObserver.NONE : observer;
    }

    /** Binds the listener; returns once connections are accepted. */
    public synchronized void start() {
        if (server != null || closed) {
            throw new IllegalStateException("The Kafka listener can be started only once");
        }
        loops = LoopResources.create("tributary-network");
        requestExecutor = newRequestExecutor(settings.requestHandlerThreads());
        try {
            server = TcpServer.create()
                    .runOn(loops)
                    .host(settings.host())
                    .port(settings.port())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .doOnConnection(this::onConnection)
                    // Our handlers consume every inbound frame; the reactive side just keeps the connection.
                    .handle((in, out) -> Mono.never())
                    .bindNow(BIND_TIMEOUT);
        } catch (RuntimeException e) {
            shutDownThreads();
            throw e;
        }
        log.info("Kafka listener on {} ({})", server.address(), server.channel().getClass().getSimpleName());
    }

    /** The port bound, which tells which one was picked when the settings asked for port 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("The Kafka listener is not started");
        }
        return ((InetSocketAddress) server.address()).getPort();
    }

    /** Whether the listener is bound and accepting connections. */
    public synchronized boolean isRunning() {
        return server != null && !closed && !server.isDisposed();
    }

    /** Connections currently open. */
    public int connectionCount() {
        return connectionCount.get();
    }

    /** Stops accepting connections, closes those open, and stops the network and request threads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.disposeNow(SHUTDOWN_TIMEOUT);
        }
        connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
        shutDownThreads();
        log.info("Kafka listener closed");
    }

    private void onConnection(Connection connection) {
        Channel channel = connection.channel();
        if (connectionCount.incrementAndGet() > settings.maxConnections()) {
            connectionCount.decrementAndGet();
            log.info("Refusing connection from {}: max.connections ({}) reached", channel.remoteAddress(), settings.maxConnections());
            channel.close();
            return;
        }
        channel.closeFuture().addListener(future -> connectionCount.decrementAndGet());
        connections.add(channel);
        String connectionId = connectionId(channel);
        connection
                .addHandlerLast("tributary.idle", new IdleStateHandler(false, 0, 0, settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS))
                .addHandlerLast("tributary.frameDecoder", new KafkaFrameDecoder(settings.maxRequestBytes()))
                .addHandlerLast("tributary.requestHandler", new KafkaRequestHandler(router, requestExecutor,
                        settings.maxInFlightRequestsPerConnection(), connectionId, observer));
    }

    /** Kafka's form, {@code local-remote-sequence}: unique among open connections, readable in logs. */
    private String connectionId(Channel channel) {
        return address(channel.localAddress()) + "-" + address(channel.remoteAddress()) + "-" + connectionSequence.getAndIncrement();
    }

    private static String address(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    private void shutDownThreads() {
        requestExecutor.shutdownNow();
        try {
            if (!requestExecutor.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Request handler threads still running after {}", SHUTDOWN_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loops.disposeLater(Duration.ZERO, SHUTDOWN_TIMEOUT).block(SHUTDOWN_TIMEOUT.plusSeconds(1));
    }

    /**
     * A fixed pool. Its queue has no bound of its own but cannot grow past max connections times
     * max in-flight requests per connection, since connections stop reading at that limit.
     */
    private static ThreadPoolExecutor newRequestExecutor(int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "tributary-request-handler-" + threadNumber.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
    }
}
