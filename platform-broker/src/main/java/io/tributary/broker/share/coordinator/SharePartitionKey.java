package io.tributary.broker.share.coordinator;

import java.util.Objects;
import org.apache.kafka.common.Uuid;

/**
 * The key the share coordinator keeps a share-partition's state under (Kafka's {@code SharePartitionKey}):
 * its share group, and the topic (by id) and partition it is a view of.
 */
public record SharePartitionKey(String groupId, Uuid topicId, int partition) {

    public SharePartitionKey {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(topicId, "topicId");
    }

    /**
     * {@code groupId:topicId:partition}, the string FindCoordinator's SHARE key carries and whose hash
     * chooses the key's partition of {@code __share_group_state}, as Kafka's {@code asCoordinatorKey}.
     */
    public String asCoordinatorKey() {
        return groupId + ":" + topicId + ":" + partition;
    }

    /** The key of a FindCoordinator SHARE key string, or null when it is not {@code groupId:topicId:partition}. */
    public static SharePartitionKey parse(String coordinatorKey) {
        // The group id may hold ':' itself; the topic id (base64) and the partition cannot.
        int last = coordinatorKey.lastIndexOf(':');
        int middle = last <= 0 ? -1 : coordinatorKey.lastIndexOf(':', last - 1);
        if (middle <= 0) {
            return null;
        }
        try {
            return new SharePartitionKey(coordinatorKey.substring(0, middle),
                    Uuid.fromString(coordinatorKey.substring(middle + 1, last)),
                    Integer.parseInt(coordinatorKey.substring(last + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return asCoordinatorKey();
    }
}
