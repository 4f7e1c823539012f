package io.tributary.broker.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.broker.api.ApiRouter;
import io.tributary.broker.security.ListenerDefinition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
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
    private final List<ListenerSecurity> listeners;
    private final ApiRouter router;
    private final RequestObserver observer;
    private final ChannelGroup connections = new DefaultChannelGroup("tributary-kafka-connections", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connectionCount = new AtomicInteger();
    private final AtomicLong connectionSequence = new AtomicLong();
    private LoopResources loops;
    private ThreadPoolExecutor requestExecutor;
    private final Map<String, DisposableServer> servers = new LinkedHashMap<>();
    private boolean started;
    private boolean closed;

    public KafkaServer(NetworkSettings settings, ApiRouter router) {
        this(settings, router, RequestObserver.NONE);
    }

    /**
     * One PLAINTEXT listener on the settings' host and port.
     *
     * @param observer told about every request handled, for metrics
     */
    public KafkaServer(NetworkSettings settings, ApiRouter router, RequestObserver observer) {
        this(settings, List.of(ListenerSecurity.plaintext(new ListenerDefinition(SecurityProtocol.PLAINTEXT.name,
                SecurityProtocol.PLAINTEXT, settings.host(), settings.port()))), router, observer);
    }

    /**
     * @param listeners bound in this order, sharing the network and request handler threads; the
     *        settings' host and port are not used
     */
    public KafkaServer(NetworkSettings settings, List<ListenerSecurity> listeners, ApiRouter router, RequestObserver observer) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("A Kafka server needs at least one listener");
        }
        this.settings = settings;
        this.listeners = List.copyOf(listeners);
        this.router = router;
        this.observer = observer == null ? RequestObserver.NONE : observer;
    }

    /** Binds every listener; returns once connections are accepted on all of them. */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("The Kafka listener can be started only once");
        }
        started = true;
        loops = LoopResources.create("tributary-network");
        requestExecutor = newRequestExecutor(settings.requestHandlerThreads());
        try {
            for (ListenerSecurity listener : listeners) {
                TcpServer tcp = TcpServer.create()
                        .runOn(loops)
                        .host(listener.listener().bindsAllInterfaces() ? "0.0.0.0" : listener.listener().host())
                        .port(listener.listener().port())
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .doOnConnection(connection -> onConnection(listener, connection))
                        // Our handlers consume every inbound frame; the reactive side just keeps the connection.
                        .handle((in, out) -> Mono.never());
                if (listener.usesTls()) {
                    tcp = tcp.secure(spec -> spec.sslContext(listener.ssl()));
                }
                DisposableServer server = tcp.bindNow(BIND_TIMEOUT);
                servers.put(listener.listener().name(), server);
                log.info("Kafka listener {} ({}) on {} ({})", listener.listener().name(), listener.listener().securityProtocol(),
                        server.address(), server.channel().getClass().getSimpleName());
            }
        } catch (RuntimeException e) {
            servers.values().forEach(server -> server.disposeNow(SHUTDOWN_TIMEOUT));
            servers.clear();
            shutDownThreads();
            throw e;
        }
    }

    /** The port the first listener bound, which tells which one was picked when it asked for port 0. */
    public synchronized int port() {
        return port(listeners.get(0).listener().name());
    }

    /** The port a listener bound. */
    public synchronized int port(String listenerName) {
        DisposableServer server = servers.get(listenerName);
        if (server == null) {
            throw new IllegalStateException("The Kafka listener " + listenerName + " is not started");
        }
        return ((InetSocketAddress) server.address()).getPort();
    }

    /** Whether every listener is bound and accepting connections. */
    public synchronized boolean isRunning() {
        return !servers.isEmpty() && !closed && servers.values().stream().noneMatch(DisposableServer::isDisposed);
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
        servers.values().forEach(server -> server.disposeNow(SHUTDOWN_TIMEOUT));
        connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
        shutDownThreads();
        log.info("Kafka listener closed");
    }

    private void onConnection(ListenerSecurity listener, Connection connection) {
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
        InetAddress clientAddress = channel.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        ConnectionAuthenticator authenticator = new ConnectionAuthenticator(listener, clientAddress,
                () -> channel.pipeline().get(SslHandler.class).engine().getSession());
        int maxRequestBytes = settings.maxRequestBytes();
        // A SASL client is held to the small pre-authentication limit until it has authenticated.
        KafkaFrameDecoder frameDecoder = new KafkaFrameDecoder(maxRequestBytes);
        if (listener.usesSasl()) {
            frameDecoder.maxFrameBytes(Math.min(maxRequestBytes, listener.authentication().maxPreAuthenticationBytes()),
                    "sasl.server.max.receive.size, before authentication");
        }
        connection.addHandlerLast("tributary.idle", new IdleStateHandler(false, 0, 0, settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS));
        if (listener.usesTls()) {
            connection.addHandlerLast("tributary.fileRegionCopier", new FileRegionCopier());
        }
        connection
                .addHandlerLast("tributary.frameDecoder", frameDecoder)
                .addHandlerLast("tributary.requestHandler", new KafkaRequestHandler(router, requestExecutor,
                        settings.maxInFlightRequestsPerConnection(), connectionId, observer, authenticator, frameDecoder, maxRequestBytes));
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
