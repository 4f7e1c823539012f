package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/**
 * One blocking connection speaking the Kafka protocol with requests built by kafka-clients'
 * builders: the size-prefixed frame of a request header and body out, the response frame back,
 * parsed with {@link AbstractResponse#parseResponse}. Every read times out.
 */
public final class RawKafkaClient implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final AtomicInteger correlationIds = new AtomicInteger(1);

    public RawKafkaClient(String host, int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends the request and returns the response to it. */
    public <R extends AbstractResponse> R call(AbstractRequest request) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-compat-test",
                correlationIds.getAndIncrement());
        return exchange(header, request.serializeWithHeader(header));
    }

    /**
     * Sends a request body at any version, also one kafka-clients' request builders refuse to
     * build (Metadata v0, for one), and returns the response to it.
     */
    public <R extends AbstractResponse> R call(ApiKeys api, short version, ApiMessage body) {
        RequestHeader header = new RequestHeader(api, version, "raw-compat-test", correlationIds.getAndIncrement());
        return exchange(header, RequestUtils.serialize(header.data(), header.headerVersion(), body, version));
    }

    @SuppressWarnings("unchecked")
    private <R extends AbstractResponse> R exchange(RequestHeader header, ByteBuffer frame) {
        try {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
            out.flush();
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return (R) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        } catch (IOException e) {
            throw new UncheckedIOException("No response to " + header, e);
        }
    }

    /** The record batches of a partition from {@code fetchOffset}, exactly as a Fetch returns them. */
    List<RecordBatch> fetchBatches(Uuid topicId, TopicPartition partition, long fetchOffset) {
        short version = ApiKeys.FETCH.latestVersion();
        Map<TopicPartition, FetchRequest.PartitionData> fetch = new LinkedHashMap<>();
        fetch.put(partition, new FetchRequest.PartitionData(topicId, fetchOffset, -1, 10 << 20, Optional.empty()));
        FetchResponse response = call(FetchRequest.Builder.forConsumer(version, 0, 0, fetch).setMaxBytes(10 << 20)
                .build(version));
        assertThat(Errors.forCode(response.error().code())).isEqualTo(Errors.NONE);
        FetchResponseData.PartitionData data = response.data().responses().get(0).partitions().get(0);
        assertThat(Errors.forCode(data.errorCode())).as("fetch of %s", partition).isEqualTo(Errors.NONE);
        List<RecordBatch> batches = new ArrayList<>();
        ((MemoryRecords) data.records()).batches().forEach(batches::add);
        return batches;
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
