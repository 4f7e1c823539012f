package io.tributary.broker.compat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A TCP proxy in front of one broker that understands Kafka's framing, so that a test can break a
 * connection at a chosen point of the protocol.
 *
 * <p>A client learns where to connect from Metadata responses, which name the broker's own port;
 * the proxy rewrites the broker addresses in them to its own, so that every connection of a client
 * bootstrapped through the proxy goes through it (the broker cannot be told to advertise another
 * port). Other responses pass byte for byte.
 *
 * <p>Once {@linkplain #dropResponseToNextProduce() armed}, the next Produce request is forwarded to
 * the broker, and when the broker's response to it arrives the proxy closes both sides of that
 * connection instead of delivering it: the broker has appended the batch, and the client never
 * learns it.
 *
 * <p>Threads: one accepting, two per connection; all are daemons and end when the proxy closes.
 */
final class KafkaProxy implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String brokerHost;
    private final int brokerPort;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger produceRequests = new AtomicInteger();
    private final AtomicInteger droppedProduceResponses = new AtomicInteger();
    private final AtomicInteger rewrittenMetadataResponses = new AtomicInteger();
    private volatile boolean closed;

    KafkaProxy(String brokerHost, int brokerPort) {
        this.brokerHost = brokerHost;
        this.brokerPort = brokerPort;
        try {
            server = new ServerSocket(0, 50, InetAddress.getByName(LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = daemon("kafka-proxy-accept", this::acceptLoop);
        acceptor.start();
    }

    String bootstrapServers() {
        return LOOPBACK + ":" + server.getLocalPort();
    }

    /** The next Produce request reaches the broker, but its connection closes before the client gets the response. */
    void dropResponseToNextProduce() {
        armed.set(true);
    }

    int connections() {
        return connections.get();
    }

    int produceRequests() {
        return produceRequests.get();
    }

    int droppedProduceResponses() {
        return droppedProduceResponses.get();
    }

    int rewrittenMetadataResponses() {
        return rewrittenMetadataResponses.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            connections.incrementAndGet();
            sockets.add(client);
            Socket broker = new Socket();
            sockets.add(broker);
            try {
                broker.connect(new InetSocketAddress(brokerHost, brokerPort), (int) CONNECT_TIMEOUT.toMillis());
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client, broker);
                continue;
            }
            Connection connection = new Connection(client, broker);
            Thread up = daemon("kafka-proxy-up-" + client.getPort(), connection::clientToBroker);
            Thread down = daemon("kafka-proxy-down-" + client.getPort(), connection::brokerToClient);
            threads.add(up);
            threads.add(down);
            up.start();
            down.start();
        }
    }

    /** One client connection and its own connection to the broker. */
    private final class Connection {
        private final Socket client;
        private final Socket broker;
        /** Requests forwarded and not answered yet, by correlation id: how to read their responses. */
        private final Map<Integer, RequestHeader> pending = new ConcurrentHashMap<>();
        private volatile int dropCorrelationId = -1;
        private volatile boolean dropping;

        Connection(Socket client, Socket broker) {
            this.client = client;
            this.broker = broker;
        }

        void clientToBroker() {
            try {
                DataInputStream in = new DataInputStream(client.getInputStream());
                DataOutputStream out = new DataOutputStream(broker.getOutputStream());
                while (true) {
                    byte[] frame = readFrame(in);
                    RequestHeader header = RequestHeader.parse(ByteBuffer.wrap(frame));
                    pending.put(header.correlationId(), header);
                    if (header.apiKey() == ApiKeys.PRODUCE) {
                        produceRequests.incrementAndGet();
                        if (armed.compareAndSet(true, false)) {
                            dropCorrelationId = header.correlationId();
                            dropping = true;
                        }
                    }
                    writeFrame(out, frame);
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(client, broker);
            }
        }

        void brokerToClient() {
            try {
                DataInputStream in = new DataInputStream(broker.getInputStream());
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                while (true) {
                    byte[] frame = readFrame(in);
                    int correlationId = ByteBuffer.wrap(frame).getInt(0); // first field of every response header
                    RequestHeader request = pending.remove(correlationId);
                    if (dropping && correlationId == dropCorrelationId) {
                        droppedProduceResponses.incrementAndGet();
                        closeQuietly(client, broker);
                        return;
                    }
                    if (request != null && request.apiKey() == ApiKeys.METADATA) {
                        frame = rewriteMetadata(frame, request);
                    }
                    writeFrame(out, frame);
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(client, broker);
            }
        }
    }

    /** The Metadata response with every broker's address replaced by the proxy's. */
    private byte[] rewriteMetadata(byte[] frame, RequestHeader request) {
        short version = request.apiVersion();
        short headerVersion = ApiKeys.METADATA.responseHeaderVersion(version);
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        ResponseHeader header = ResponseHeader.parse(buffer, headerVersion);
        MetadataResponse response = MetadataResponse.parse(new ByteBufferAccessor(buffer), version);
        for (MetadataResponseBroker broker : response.data().brokers()) {
            broker.setHost(LOOPBACK).setPort(server.getLocalPort());
        }
        ByteBuffer rewritten = RequestUtils.serialize(header.data(), headerVersion, response.data(), version);
        byte[] bytes = new byte[rewritten.remaining()];
        rewritten.get(bytes);
        rewrittenMetadataResponses.incrementAndGet();
        return bytes;
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    private static void writeFrame(DataOutputStream out, byte[] frame) throws IOException {
        out.writeInt(frame.length);
        out.write(frame);
        out.flush();
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket... toClose) {
        for (Socket socket : toClose) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.forEach(KafkaProxy::closeQuietly);
        try {
            acceptor.join(CONNECT_TIMEOUT.toMillis());
            for (Thread thread : threads) {
                thread.join(CONNECT_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
