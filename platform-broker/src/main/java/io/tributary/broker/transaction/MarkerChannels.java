package io.tributary.broker.transaction;

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
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels WriteTxnMarkers go over, one per destination broker as Kafka's
 * {@code TransactionMarkerChannelManager} keeps them: each with one connection, opened on first use and
 * kept for the next rounds, and one thread of its own that does the blocking connect and calls, so
 * that neither the coordinator's threads nor the other brokers' markers wait for a slow broker. One
 * request is in flight per broker, as in Kafka; the requests that wait meanwhile go together in the next. A
 * connection that fails is closed (the next request opens another); a channel is closed when its
 * broker leaves or moves to another address ({@link #retainOnly}), or when the writer closes.
 *
 * <p>Thread-safe.
 */
final class MarkerChannels implements AutoCloseable {

    /** One connection to a broker's inter-broker listener; used by one thread at a time, closed from any. */
    interface Connection extends AutoCloseable {
        /** @throws RuntimeException when the connection fails; it is useless afterwards */
        WriteTxnMarkersResponseData send(WriteTxnMarkersRequestData request);

        @Override
        void close();
    }

    /** Opens a connection; throws a RuntimeException when the broker cannot be reached. */
    @FunctionalInterface
    interface Connector {
        Connection connect(BrokerEndpoint broker);
    }

    private static final Logger log = LoggerFactory.getLogger(MarkerChannels.class);
    /** How long a channel's thread waits idle before it ends (the connection stays open). */
    private static final long THREAD_KEEP_ALIVE_MS = 60_000;

    private final Connector connector;
    private final Map<Integer, Channel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MarkerChannels(Connector connector) {
        this.connector = connector;
    }

    /** Sends on the broker's channel; fails, never blocks, when the broker cannot be reached or answer. */
    CompletableFuture<WriteTxnMarkersResponseData> send(BrokerEndpoint broker, WriteTxnMarkersRequestData request) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("Marker channels are closed"));
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
    void retainOnly(Collection<BrokerEndpoint> live) {
        Set<BrokerEndpoint> current = Set.copyOf(live);
        channels.values().removeIf(channel -> {
            if (current.contains(channel.broker)) {
                return false;
            }
            log.debug("Closing the marker channel to broker {}: it left", channel.broker.nodeId());
            channel.close();
            return true;
        });
    }

    /** The brokers with a channel open now, by node id. */
    Set<Integer> destinations() {
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
    private record Queued(WriteTxnMarkersRequestData request, CompletableFuture<WriteTxnMarkersResponseData> answer) {
    }

    /** The connection to one broker, the thread that uses it, and the requests waiting for it. */
    private final class Channel {

        final BrokerEndpoint broker;
        private final ThreadPoolExecutor thread;
        private final Queue<Queued> waiting = new ConcurrentLinkedQueue<>();
        /** Opened and used on the channel's thread; taken and closed by {@link #close} from any thread. */
        private Connection connection;
        /** Whether the connection has already answered a request, so that a failure may be its staleness. */
        private boolean used;
        private boolean closed;

        Channel(BrokerEndpoint broker) {
            this.broker = broker;
            this.thread = new ThreadPoolExecutor(1, 1, THREAD_KEEP_ALIVE_MS, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), runnable -> {
                        Thread started = new Thread(runnable, "tributary-txn-markers-to-" + broker.nodeId());
                        started.setDaemon(true);
                        return started;
                    });
            thread.allowCoreThreadTimeOut(true);
        }

        CompletableFuture<WriteTxnMarkersResponseData> send(WriteTxnMarkersRequestData request) {
            Queued queued = new Queued(request, new CompletableFuture<>());
            waiting.add(queued);
            try {
                thread.execute(this::sendWaiting);
            } catch (RejectedExecutionException e) {
                if (waiting.remove(queued)) {
                    queued.answer().completeExceptionally(e); // closed meanwhile
                }
            }
            return queued.answer();
        }

        /**
         * On the channel's thread: every request waiting goes in one WriteTxnMarkers (as Kafka drains a
         * broker's queue into one request), each answered with the results of its own markers.
         */
        private void sendWaiting() {
            List<Queued> batch = new ArrayList<>();
            for (Queued queued; (queued = waiting.poll()) != null; ) {
                batch.add(queued);
            }
            if (batch.isEmpty()) {
                return; // an earlier run took them
            }
            WriteTxnMarkersRequestData merged = new WriteTxnMarkersRequestData();
            batch.forEach(queued -> merged.markers().addAll(queued.request().markers()));
            WriteTxnMarkersResponseData response;
            try {
                response = call(merged);
            } catch (RuntimeException e) {
                batch.forEach(queued -> queued.answer().completeExceptionally(e));
                return;
            }
            for (Queued queued : batch) {
                Set<Long> producerIds = queued.request().markers().stream()
                        .map(WriteTxnMarkersRequestData.WritableTxnMarker::producerId).collect(Collectors.toSet());
                WriteTxnMarkersResponseData own = new WriteTxnMarkersResponseData();
                response.markers().stream().filter(result -> producerIds.contains(result.producerId()))
                        .forEach(own.markers()::add);
                queued.answer().complete(own);
            }
        }

        /**
         * On the channel's thread. A kept connection that fails at once was most likely closed by the broker
         * for idleness: one retry on a new one (a timeout is the broker's slowness, left to the next round).
         */
        private WriteTxnMarkersResponseData call(WriteTxnMarkersRequestData request) {
            boolean reused = isReused();
            try {
                return sendOn(request);
            } catch (RuntimeException e) {
                if (!reused || e.getCause() instanceof SocketTimeoutException) {
                    throw e;
                }
                log.debug("Marker channel to broker {} failed, reconnecting: {}", broker.nodeId(), e.toString());
                return sendOn(request);
            }
        }

        private WriteTxnMarkersResponseData sendOn(WriteTxnMarkersRequestData request) {
            Connection current = open();
            try {
                WriteTxnMarkersResponseData response = current.send(request);
                markUsed(current);
                return response;
            } catch (RuntimeException e) {
                discard(current);
                throw e;
            }
        }

        private Connection open() {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("The marker channel to broker " + broker.nodeId() + " is closed");
                }
                if (connection != null) {
                    return connection;
                }
            }
            Connection opened = connector.connect(broker); // blocking: outside the monitor, which close() takes
            synchronized (this) {
                if (!closed) {
                    connection = opened;
                    used = false;
                    return opened;
                }
            }
            opened.close();
            throw new IllegalStateException("The marker channel to broker " + broker.nodeId() + " is closed");
        }

        private synchronized boolean isReused() {
            return connection != null && used;
        }

        private synchronized void markUsed(Connection current) {
            if (connection == current) {
                used = true;
            }
        }

        private void discard(Connection failed) {
            synchronized (this) {
                if (connection == failed) {
                    connection = null;
                }
            }
            failed.close();
        }

        /** Never waits: closing the socket is what ends a call blocked on it; queued requests then fail. */
        void close() {
            Connection current;
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
