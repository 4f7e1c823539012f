package io.tributary.broker.api;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeLogDirsRequest;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;

/**
 * DescribeLogDirs, what {@code kafka-log-dirs} and AdminClient {@code describeLogDirs} ask: this broker's
 * log directory (it has one, {@code tributary.broker.data-dir}) with the size of every partition replica it
 * holds, and the directory's total and usable bytes. Needs DESCRIBE on the cluster, as in Kafka.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequest> {

    private final LogManager logs;
    private final RequestAuthorization authorization;

    public DescribeLogDirsHandler(LogManager logs, RequestAuthorization authorization) {
        this.logs = logs;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeLogDirsRequest request) {
        DescribeLogDirsResponseData data = new DescribeLogDirsResponseData().setThrottleTimeMs(0);
        if (!authorization.authorizeCluster(context, AclOperation.DESCRIBE)) {
            // Kafka answers an empty list then, with the error on the whole response from version 3.
            return CompletableFuture.completedFuture(new DescribeLogDirsResponse(
                    data.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())));
        }
        Set<TopicPartition> wanted = wanted(request);
        Map<String, List<DescribeLogDirsPartition>> byTopic = new TreeMap<>();
        for (PartitionLog log : logs.logs()) {
            TopicPartition partition = log.topicPartition();
            if (wanted != null && !wanted.contains(partition)) {
                continue;
            }
            byTopic.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(new DescribeLogDirsPartition()
                    .setPartitionIndex(partition.partition())
                    .setPartitionSize(log.sizeInBytes())
                    .setOffsetLag(Math.max(0, log.highWatermark() - log.logEndOffset()))
                    .setIsFutureKey(false));
        }
        List<DescribeLogDirsTopic> topics = new ArrayList<>();
        byTopic.forEach((topic, partitions) -> topics.add(new DescribeLogDirsTopic().setName(topic).setPartitions(partitions)));
        DescribeLogDirsResult dir = new DescribeLogDirsResult().setErrorCode(Errors.NONE.code())
                .setLogDir(logs.dataDir().toAbsolutePath().normalize().toString()).setTopics(topics);
        try {
            FileStore store = Files.getFileStore(logs.dataDir());
            dir.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            // As Kafka without the figures: -1 (UNKNOWN_VOLUME_BYTES).
            dir.setTotalBytes(-1).setUsableBytes(-1);
        }
        return CompletableFuture.completedFuture(new DescribeLogDirsResponse(data.setErrorCode(Errors.NONE.code())
                .setResults(List.of(dir))));
    }

    /** The partitions asked for, or {@code null} for all of them. */
    private static Set<TopicPartition> wanted(DescribeLogDirsRequest request) {
        if (request.data().topics() == null) {
            return null;
        }
        Set<TopicPartition> wanted = new HashSet<>();
        for (DescribableLogDirTopic topic : request.data().topics()) {
            for (int partition : topic.partitions()) {
                wanted.add(new TopicPartition(topic.topic(), partition));
            }
        }
        return wanted;
    }
}
