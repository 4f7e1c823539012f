package io.tributary.broker.cluster.balancer;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import io.tributary.broker.cluster.BrokerConnection;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.InterBrokerClient;
import io.tributary.broker.cluster.MetadataImage;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every live broker for its log directory with DescribeLogDirs, the request {@code kafka-log-dirs}
 * sends, over the inter-broker listener and as the inter-broker user (who needs DESCRIBE on the cluster,
 * as a super user has). A broker that does not answer within the timeout is left out: its partitions'
 * sizes still come from their other replicas.
 */
public final class LogDirSampler implements Function<MetadataImage, DiskUsage> {

    private static final Logger log = LoggerFactory.getLogger(LogDirSampler.class);

    private final int nodeId;
    private final InterBrokerClient security;
    private final int timeoutMs;

    public LogDirSampler(int nodeId, InterBrokerClient security, int timeoutMs) {
        this.nodeId = nodeId;
        this.security = security;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public DiskUsage apply(MetadataImage image) {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        Map<Integer, Long> capacities = new HashMap<>();
        for (BrokerRegistration broker : image.liveBrokers()) {
            try (BrokerConnection connection = new BrokerConnection(broker.host(), broker.port(),
                    "tributary-balancer-" + nodeId, timeoutMs, security)) {
                DescribeLogDirsResponse response = connection.call(new DescribeLogDirsRequest.Builder(
                        new DescribeLogDirsRequestData().setTopics(null)).build());
                Errors error = Errors.forCode(response.data().errorCode());
                if (error != Errors.NONE) {
                    log.warn("Balancer: broker {} refused DescribeLogDirs: {}", broker.nodeId(), error.name());
                    continue;
                }
                long capacity = 0;
                for (DescribeLogDirsResult dir : response.data().results()) {
                    if (dir.errorCode() != Errors.NONE.code()) {
                        continue;
                    }
                    capacity = dir.totalBytes() < 0 || capacity < 0 ? -1 : capacity + dir.totalBytes();
                    for (DescribeLogDirsTopic topic : dir.topics()) {
                        for (DescribeLogDirsPartition partition : topic.partitions()) {
                            sizes.merge(new TopicPartition(topic.name(), partition.partitionIndex()),
                                    partition.partitionSize(), Math::max);
                        }
                    }
                }
                if (capacity > 0) {
                    capacities.put(broker.nodeId(), capacity);
                }
            } catch (RuntimeException e) { // unreachable, refused, timed out or closed meanwhile
                log.warn("Balancer: no log sizes from broker {}: {}", broker.nodeId(), e.toString());
            }
        }
        return new DiskUsage(sizes, capacities);
    }
}
