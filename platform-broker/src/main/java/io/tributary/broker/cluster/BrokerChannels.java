package io.tributary.broker.cluster;

import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.tributary.broker.metadata.BrokerEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kept channels to other brokers for one kind of inter-broker request (a transaction coordinator's
 * WriteTxnMarkers, a share-partition leader's share-group state requests), one per destination broker as
 * Kafka's {@code InterBrokerSendThread}s keep them: each with one connection, opened on first use and
 * kept for the next requests, and one thread of its own that does the blocking connect and calls, so
 * that neither the caller's threads nor the requests to other brokers wait for a slow broker. One
 * request is in flight per broker, as in Kafka; with a {@link Coalescing} the requests that wait
 * meanwhile go together in the next, otherwise they follow one by one. A connection that fails is
 * closed (the next request opens another); a channel is closed when its broker leaves or moves to
 * another address ({@link #retainOnly}), or when the owner closes.
 *
 * <p>Thread-safe.
 *
 * @param <Q> the request's type
 * @param <R> the response's type
 */
public final class BrokerChannels<Q, R> implements AutoCloseable {

    /** One connection to a broker's inter-broker listener; used by one thread at a time, closed from any. */
    public interface Connection<Q, R> extends AutoCloseable {
        /** @throws RuntimeException when the connection fails; it is useless afterwards */
        R send(Q request);

        @Override
        void close();
    }

    /** Opens a connection; throws a RuntimeException when the broker cannot be reached. */
    @FunctionalInterface
    public interface Connector<Q, R> {
        Connection<Q, R> connect(BrokerEndpoint broker);
    }

    /** How requests that waited for the same call go together in one (as Kafka drains a broker's queue into one request). */
    public interface Coalescing<Q, R> {
        /** One request carrying all of {@code requests}. */
        Q merge(List<Q> requests);

        /** The part of the merged request's {@code response} that answers {@code request}. */
        R part(R response, Q request);
    }

    private static final Logger log = LoggerFactory.getLogger(BrokerChannels.class);
    /** How long a channel's thread waits idle before it ends (the connection stays open). */
    private static final long THREAD_KEEP_ALIVE_MS = 60_000;

    private final Connector<Q, R> connector;
    private final String threadNamePrefix;
    /** Null: each request goes alone. */
    private final Coalescing<Q, R> coalescing;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param threadNamePrefix a channel's thread is named this and the destination broker's id
     * @param coalescing       how waiting requests are merged, or null to send each alone
     */
    public BrokerChannels(Connector<Q, R> connector, String threadNamePrefix, Coalescing<Q, R> coalescing) {
        this.connector = connector;
        this.threadNamePrefix = threadNamePrefix;
        this.coalescing = coalescing;
    }

    /** Sends on the broker's channel; fails, never blocks, when the broker cannot be reached or answer. */
    public CompletableFuture<R> send(BrokerEndpoint broker, Q request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("The channels to other brokers are closed"));
        }
        Channel channel = channels.compute(broker.nodeId(), (nodeId, current) -> {
            if (current != null && current.broker.equals(broker)) {
                return current;
            }
            if (current != null) {
                current.close(); // the broker is back at another address
            }
            return new Channel(broker);
        });
        return channel.send(request);
    }

    /** Closes the channels of brokers not among {@code live} (or now at another address). */
    public void retainOnly(Collection<BrokerEndpoint> live) {
        Set<BrokerEndpoint> current = Set.copyOf(live);
        channels.values().removeIf(channel -> {
            if (current.contains(channel.broker)) {
                return false;
            }
            log.debug("Closing the channel {}{}: the broker left", threadNamePrefix, channel.broker.nodeId());
            channel.close();
            return true;
        });
    }

    /** The brokers with a channel open now, by node id. */
    public Set<Integer> destinations() {
        return channels.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public void close() {
        closed = true;
        channels.values().removeIf(channel -> {
            channel.close();
            return true;
        });
    }

    /** A request waiting for its channel's thread, and its answer. */
    private final class Queued {
        final Q request;
        final CompletableFuture<R> answer = new CompletableFuture<>();

        Queued(Q request) {
            this.request = request;
        }
    }

    /** The connection to one broker, the thread that uses it, and the requests waiting for it. */
    private final class Channel {

        final BrokerEndpoint broker;
        private final ThreadPoolExecutor thread;
        private final Queue<Queued> waiting = new ConcurrentLinkedQueue<>();
        /** Opened and used on the channel's thread; taken and closed by {@link #close} from any thread. */
        private Connection<Q, R> connection;
        /** Whether the connection has already answered a request, so that a failure may be its staleness. */
        private boolean used;
        private boolean closed;

        Channel(BrokerEndpoint broker) {
            this.broker = broker;
            this.thread = new ThreadPoolExecutor(1, 1, THREAD_KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), runnable -> {
                        Thread started = new Thread(runnable, threadNamePrefix + broker.nodeId());
                        started.setDaemon(true);
                        return started;
                    });
            thread.allowCoreThreadTimeOut(true);
        }

        CompletableFuture<R> send(Q request) {
            Queued queued = new Queued(request);
            waiting.add(queued);
            try {
                thread.execute(this::sendWaiting);
            } catch (RejectedExecutionException e) {
                if (waiting.remove(queued)) {
                    queued.answer.completeExceptionally(e); // closed meanwhile
                }
            }
            return queued.answer;
        }

        /**
         * On the channel's thread: every request waiting goes in one call when they coalesce, each answered
         * with its part of the response; otherwise each in a call of its own, in order.
         */
        private void sendWaiting() {
            List<Queued> batch = new ArrayList<>();
            for (Queued queued; (queued = waiting.poll()) != null; ) {
                batch.add(queued);
            }
            if (batch.isEmpty()) {
                return; // an earlier run took them
            }
            if (coalescing == null || batch.size() == 1) {
                for (Queued queued : batch) {
                    try {
                        queued.answer.complete(call(queued.request));
                    } catch (RuntimeException e) {
                        queued.answer.completeExceptionally(e);
                    }
                }
                return;
            }
            R response;
            try {
                response = call(coalescing.merge(batch.stream().map(queued -> queued.request).toList()));
            } catch (RuntimeException e) {
                batch.forEach(queued -> queued.answer.completeExceptionally(e));
                return;
            }
            for (Queued queued : batch) {
                queued.answer.complete(coalescing.part(response, queued.request));
            }
        }

        /**
         * On the channel's thread. A kept connection that fails at once was most likely closed by the broker
         * for idleness: one retry on a new one (a timeout is the broker's slowness, left to the next round).
         */
        private R call(Q request) {
            boolean reused = isReused();
            try {
                return sendOn(request);
            } catch (RuntimeException e) {
                if (!reused || e.getCause() instanceof SocketTimeoutException) {
                    throw e;
                }
                log.debug("Channel {}{} failed, reconnecting: {}", threadNamePrefix, broker.nodeId(), e.toString());
                return sendOn(request);
            }
        }

        private R sendOn(Q request) {
            Connection<Q, R> current = open();
            try {
                R response = current.send(request);
                markUsed(current);
                return response;
            } catch (RuntimeException e) {
                discard(current);
                throw e;
            }
        }

        private Connection<Q, R> open() {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The channel " + threadNamePrefix + broker.nodeId() + " is closed");
                }
                if (connection != null) {
                    return connection;
                }
            }
            Connection<Q, R> opened = connector.connect(broker); // blocking: outside the monitor, which close() takes
            synchronized (this) {
                if (!closed) {
                    connection = opened;
                    used = false;
                    return opened;
                }
            }
            opened.close();
            throw new IllegalStateException("The channel " + threadNamePrefix + broker.nodeId() + " is closed");
        }

        private synchronized boolean isReused() {
            return connection != null && used;
        }

        private synchronized void markUsed(Connection<Q, R> current) {
            if (connection == current) {
                used = true;
            }
        }

        private void discard(Connection<Q, R> failed) {
            synchronized (this) {
                if (connection == failed) {
                    connection = null;
                }
            }
            failed.close();
        }

        /** Never waits: closing the socket is what ends a call blocked on it; queued requests then fail. */
        void close() {
            Connection<Q, R> current;
            synchronized (this) {
                closed = true;
                current = connection;
                connection = null;
            }
            thread.shutdown();
            if (current != null) {
                current.close();
            }
        }
    }
}
