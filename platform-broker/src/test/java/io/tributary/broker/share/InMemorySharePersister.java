package io.tributary.broker.share;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/** A persister for unit tests of the share-partition logic: keeps states in memory and fences as the coordinator does. */
final class InMemorySharePersister implements ShareStatePersister {

    record Key(String groupId, Uuid topicId, int partition) {
    }

    final Map<Key, SharePartitionState> states = new ConcurrentHashMap<>();
    final List<SharePartitionState> writes = new ArrayList<>();
    /** Writes refuse with this error while set (a coordinator moving, say). */
    volatile Errors failing;

    @Override
    public CompletableFuture<Optional<SharePartitionState>> read(String groupId, Uuid topicId, int partition) {
        return CompletableFuture.completedFuture(Optional.ofNullable(states.get(new Key(groupId, topicId, partition))));
    }

    @Override
    public synchronized CompletableFuture<Void> write(String groupId, Uuid topicId, int partition, SharePartitionState state) {
        if (failing != null) {
            return CompletableFuture.failedFuture(new CoordinatorException(failing, "failing"));
        }
        Key key = new Key(groupId, topicId, partition);
        SharePartitionState stored = states.get(key);
        if (stored != null && stored.leaderEpoch() > state.leaderEpoch()) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.FENCED_LEADER_EPOCH, "fenced"));
        }
        if (stored != null && stored.stateEpoch() > state.stateEpoch()) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.FENCED_STATE_EPOCH, "reset"));
        }
        states.put(key, state);
        writes.add(state);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> delete(String groupId, Uuid topicId, int partition) {
        states.remove(new Key(groupId, topicId, partition));
        return CompletableFuture.completedFuture(null);
    }

    SharePartitionState stored(String groupId, Uuid topicId, int partition) {
        return states.get(new Key(groupId, topicId, partition));
    }
}
