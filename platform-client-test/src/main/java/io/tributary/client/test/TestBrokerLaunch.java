package io.tributary.client.test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * How a single-node broker for tests is started and known to be ready, the same for one embedded in the test's JVM
 * ({@link EmbeddedTributaryBroker}) and one in a container ({@code TributaryContainer} of
 * {@code platform-client-testcontainers}): the broker settings, the command line they become, and the readiness
 * check, which also proves that the broker advertises the address clients reach it at.
 */
public final class TestBrokerLaunch {

    /** Where the broker image keeps its data (a volume in docker-compose.yml). */
    public static final String CONTAINER_DATA_DIR = "/var/lib/tributary";

    private TestBrokerLaunch() {
    }

    /** Settings every test broker gets, before the caller's own. */
    static Map<String, String> common() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.main.banner-mode", "off");
        // Consumer groups in tests would otherwise wait 3 s for more members before their first assignment.
        settings.put("tributary.broker.group.initial-rebalance-delay", "0ms");
        return settings;
    }

    /** A broker in this JVM: on 127.0.0.1 and {@code port} (0 for any free one), with its logs in {@code dataDir}. */
    public static Map<String, String> embedded(String dataDir, int port, Map<String, String> overrides) {
        Map<String, String> settings = common();
        settings.put("tributary.broker.data-dir", dataDir);
        settings.put("tributary.broker.host", "127.0.0.1");
        settings.put("tributary.broker.port", Integer.toString(port));
        settings.putAll(overrides);
        return settings;
    }

    /**
     * A broker in a container: listening on every interface at {@code port}, which the container publishes on the
     * same port of the Docker host, and advertising {@code advertisedHost} (the Docker host as clients see it), so
     * that the address in the metadata it returns is the one clients connected with.
     */
    public static Map<String, String> container(int port, String advertisedHost, Map<String, String> overrides) {
        Map<String, String> settings = common();
        settings.put("tributary.broker.data-dir", CONTAINER_DATA_DIR);
        settings.put("tributary.broker.host", "0.0.0.0");
        settings.put("tributary.broker.port", Integer.toString(port));
        settings.put("tributary.broker.advertised-host", advertisedHost);
        settings.putAll(overrides);
        return settings;
    }

    /**
     * The command line of a broker with these settings, one {@code --key=value} per key: Spring joins repeated
     * arguments with commas rather than letting the last one win.
     */
    public static List<String> arguments(Map<String, String> settings) {
        return settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * Waits until the broker at {@code bootstrapServer} ({@code host:port}) answers a Metadata request and lists
     * itself under that very address. A broker that lists another one (a wrong advertised host or port) fails at
     * once: clients would reach it for their first request, then go where it points and find nothing. The request
     * goes to the bootstrap address itself, over a plain socket, so that a wrong advertisement cannot hide behind
     * a client's reconnects.
     *
     * @throws IllegalStateException when it does not answer in time, or advertises another address
     */
    public static void awaitReady(String bootstrapServer, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        int correlationId = 0;
        do {
            try {
                checkAdvertised(bootstrapServer, advertisedBrokers(bootstrapServer, ++correlationId, 2_000));
                return;
            } catch (IOException | RuntimeException e) {
                if (e instanceof IllegalStateException advertisedElsewhere) {
                    throw advertisedElsewhere;
                }
                last = e;
            }
            try {
                Thread.sleep(50); // a broker still binding its port: poll again shortly
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the broker at " + bootstrapServer, e);
            }
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("The broker at " + bootstrapServer + " did not answer within " + timeout, last);
    }

    /** The brokers a Metadata response of the broker at {@code hostAndPort} lists. */
    static Collection<Node> advertisedBrokers(String hostAndPort, int correlationId, int timeoutMs) throws IOException {
        int colon = hostAndPort.lastIndexOf(':');
        InetSocketAddress address = new InetSocketAddress(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1)));
        short version = ApiKeys.METADATA.latestVersion();
        RequestHeader header = new RequestHeader(ApiKeys.METADATA, version, "tributary-test-readiness", correlationId);
        ByteBuffer request = new MetadataRequest.Builder(new MetadataRequestData().setTopics(List.of())
                .setAllowAutoTopicCreation(false)).build(version).serializeWithHeader(header);
        try (Socket socket = new Socket()) {
            socket.connect(address, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.remaining());
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return ((MetadataResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header)).brokers();
        }
    }

    static void checkAdvertised(String bootstrapServers, Collection<Node> nodes) {
        boolean listed = nodes.stream().anyMatch(node -> (node.host() + ":" + node.port()).equals(bootstrapServers));
        if (!listed) {
            throw new IllegalStateException("The broker at " + bootstrapServers + " advertises itself as "
                    + nodes.stream().map(node -> node.host() + ":" + node.port()).toList()
                    + ": clients would connect there after the first request; check tributary.broker.advertised-host"
                    + " and the published port");
        }
    }
}
