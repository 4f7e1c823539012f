package io.tributary.broker.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A blocking connection to another broker's inter-broker listener — a follower's to the broker it
 * fetches from, the balancer's to each broker it asks for its log sizes: one request at a time, framed
 * and encoded by kafka-clients' request and response classes, every read bounded by a timeout.
 *
 * <p>Not thread-safe: one thread owns it.
 */
public final class BrokerConnection implements AutoCloseable {

    private final String clientId;
    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private int correlationId;

    BrokerConnection(String host, int port, String clientId, int timeoutMs) {
        this(host, port, clientId, timeoutMs, InterBrokerClient.PLAINTEXT);
    }

    /**
     * Connects, with TLS and SASL when the inter-broker listener uses them.
     *
     * @throws UncheckedIOException when the leader cannot be reached or the TLS handshake fails
     * @throws org.apache.kafka.common.errors.AuthenticationException when the leader refuses the credentials
     */
    public BrokerConnection(String host, int port, String clientId, int timeoutMs, InterBrokerClient security) {
        this.clientId = clientId;
        Socket connected = null;
        try {
            connected = new Socket();
            connected.connect(new InetSocketAddress(host, port), timeoutMs);
            connected.setSoTimeout(timeoutMs);
            connected.setTcpNoDelay(true);
            if (security.usesTls()) {
                SSLSocket tls = (SSLSocket) security.ssl().getSocketFactory().createSocket(connected, host, port, true);
                SSLParameters parameters = tls.getSSLParameters();
                // As Kafka's ssl.endpoint.identification.algorithm=https: the leader's certificate must name its host.
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                connected = tls;
            }
            socket = connected;
            out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
            in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
        } catch (IOException e) {
            closeQuietly(connected);
            throw new UncheckedIOException("Cannot connect to " + host + ":" + port, e);
        }
        if (security.usesSasl()) {
            try {
                new SaslClientExchange(security, host).authenticate(this::call);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }

    @SuppressWarnings("unchecked")
    /** @throws UncheckedIOException when the connection fails or the read times out; it is useless afterwards */
    public <R extends AbstractResponse> R call(AbstractRequest request) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), clientId, ++correlationId);
        try {
            ByteBuffer frame = request.serializeWithHeader(header);
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        } catch (IOException e) {
            throw new UncheckedIOException("No response to " + request.apiKey() + " from " + socket.getRemoteSocketAddress(), e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
