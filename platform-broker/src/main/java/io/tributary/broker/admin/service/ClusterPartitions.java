package io.tributary.broker.admin.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.admin.service.PeerBrokers.Answer;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import tools.jackson.core.type.TypeReference;

/**
 * The log figures of any partition of the cluster — log start, high watermark, log end, size — read
 * from this broker's replica when it holds one, else asked of the broker that leads it (its
 * {@code /api/broker/partitions}). On a single node every partition is local and no one is asked.
 */
public final class ClusterPartitions {

    /**
     * One replica's log figures.
     *
     * @param nodeId the broker holding that replica
     */
    public record Figures(String topic, int partition, int nodeId, long logStartOffset, long highWatermark,
            long logEndOffset, long sizeBytes) {

        public TopicPartition topicPartition() {
            return new TopicPartition(topic, partition);
        }
    }

    private static final TypeReference<List<Figures>> FIGURES = new TypeReference<>() {
    };

    private final PartitionManager partitions;
    private final PeerBrokers peers;
    private final io.tributary.broker.metadata.ClusterMetadata metadata;

    public ClusterPartitions(PartitionManager partitions, PeerBrokers peers,
            io.tributary.broker.metadata.ClusterMetadata metadata) {
        this.partitions = partitions;
        this.peers = peers;
        this.metadata = metadata;
    }

    /** This broker's replicas, optionally of one topic only. */
    public List<Figures> local(String topic) {
        List<Figures> figures = new ArrayList<>();
        for (Partition partition : partitions.partitions()) {
            TopicPartition tp = partition.topicPartition();
            if (topic == null || tp.topic().equals(topic)) {
                PartitionLog log = partition.log();
                figures.add(new Figures(tp.topic(), tp.partition(), partitions.nodeId(), log.logStartOffset(),
                        log.highWatermark(), log.logEndOffset(), log.sizeInBytes()));
            }
        }
        return figures;
    }

    /**
     * The figures of each partition of the topic (or of every topic), from its leader's replica where
     * that broker answered, else from any replica that did. Partitions no one answered for are absent.
     */
    public Map<TopicPartition, Figures> leaders(String topic) {
        List<Figures> all = new ArrayList<>(local(topic));
        String path = "/api/broker/partitions" + PeerBrokers.query(topic == null ? Map.of() : Map.of("topic", topic));
        for (Answer<List<Figures>> answer : peers.askOthers(path, FIGURES)) {
            if (answer.ok()) {
                all.addAll(answer.value());
            }
        }
        Map<TopicPartition, Figures> chosen = new HashMap<>();
        for (Figures figures : all) {
            TopicPartition tp = figures.topicPartition();
            int leader = metadata.partition(tp.topic(), tp.partition()).map(PartitionState::leader).orElse(-1);
            Figures current = chosen.get(tp);
            if (current == null || (figures.nodeId() == leader && current.nodeId() != leader)) {
                chosen.put(tp, figures);
            }
        }
        return chosen;
    }

    /** This broker's replica's figures, if it holds one. */
    public Optional<Figures> localFigures(TopicPartition tp) {
        return partitions.partition(tp).map(partition -> {
            PartitionLog log = partition.log();
            return new Figures(tp.topic(), tp.partition(), partitions.nodeId(), log.logStartOffset(), log.highWatermark(),
                    log.logEndOffset(), log.sizeInBytes());
        });
    }

    /** One partition's figures, from this broker's replica or its leader's; a problem when neither can tell. */
    public Figures figures(TopicPartition tp) {
        Optional<Figures> local = localFigures(tp);
        if (local.isPresent()) {
            return local.get();
        }
        int holder = holder(tp);
        return peers.ask(holder, "/api/broker/partitions" + PeerBrokers.query(Map.of("topic", tp.topic())), FIGURES)
                .stream().filter(f -> f.partition() == tp.partition()).findFirst()
                .orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        "Partition " + tp + " is not held by broker " + holder + " either"));
    }

    /** The first offset at or after the time, or the high watermark when none is; local replicas only. */
    public Optional<Long> localOffsetForTimestamp(TopicPartition tp, long timestamp) {
        return partitions.partition(tp).map(p -> {
            PartitionLog log = p.log();
            return log.offsetForTimestamp(timestamp).map(TimestampOffset::offset)
                    .filter(offset -> offset < log.highWatermark()).orElse(log.highWatermark());
        });
    }

    /** The broker to ask for a partition this one holds no replica of. */
    public int holder(TopicPartition tp) {
        if (metadata.partition(tp.topic(), tp.partition()).isEmpty()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Partition " + tp.partition()
                    + " of topic '" + tp.topic() + "' does not exist.");
        }
        return peers.holder(tp.topic(), tp.partition()).orElseThrow(() -> new MetadataException(
                Errors.LEADER_NOT_AVAILABLE, "Partition " + tp + " has no live replica"));
    }

    public boolean isLocal(TopicPartition tp) {
        return partitions.partition(tp).isPresent();
    }
}
