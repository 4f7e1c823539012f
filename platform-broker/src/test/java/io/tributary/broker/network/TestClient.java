package io.tributary.broker.network;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * A blocking Kafka client on a raw socket, serializing with kafka-clients: enough to send well-formed
 * and deliberately broken requests and read what comes back. Every read times out.
 */
final class TestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    TestClient(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request as a client would; returns its header, to parse the response with. */
    RequestHeader send(AbstractRequest request, int correlationId) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "test-client", correlationId);
        sendFrame(request.serializeWithHeader(header));
        return header;
    }

    /** Sends any message as a request body, at any version. */
    RequestHeader send(ApiMessage body, short version, int correlationId) {
        RequestHeader header = new RequestHeader(ApiKeys.forId(body.apiKey()), version,
                "test-client", correlationId);
        sendFrame(RequestUtils.serialize(header.data(), header.headerVersion(), body, version));
        return header;
    }

    /** Sends a frame: its size, then its bytes. */
    void sendFrame(ByteBuffer frame) {
        ByteBuffer bytes = frame.duplicate();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        try {
            out.writeInt(array.length);
            out.write(array);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the next response, which must answer {@code header}. */
    @SuppressWarnings("unchecked")
    <R extends AbstractResponse> R receive(RequestHeader header) {
        return (R) AbstractResponse.parseResponse(receiveFrame(), header);
    }

    ByteBuffer receiveFrame() {
        try {
            int size = in.readInt();
            byte[] frame = new byte[size];
            in.readFully(frame);
            return ByteBuffer.wrap(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether bytes wait to be read, without blocking. */
    boolean hasBytesToRead() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server closed the connection: end of stream or reset before the read timeout. */
    boolean isClosedByServer() {
        try {
            while (in.read() != -1) {
                // Discard whatever was sent before the close.
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
