package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.tributary.broker.share.persister.SharePartitionState;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * A share group remembers the partitions its share state may be in across its record, also records written
 * before it did (they fall back to the subscribed partitions); an altered state goes one state epoch up.
 */
class ShareGroupStatePartitionsTest {

    private static final Uuid TOPIC = Uuid.randomUuid();
    private static final Uuid ALTERED = Uuid.randomUuid();

    @Test
    void statePartitionsSurviveTheRecordAndOutliveTheSubscription() {
        ShareGroup group = new ShareGroup("g", 0);
        group.subscriptionMetadata = Map.of("t", new ShareGroup.SubscribedTopic(TOPIC, 2));
        group.addStatePartitions(ShareGroupManager.subscribedPartitionsById(group));
        group.addStatePartitions(Map.of(ALTERED, Set.of(3)));
        group.subscriptionMetadata = Map.of(); // the members left

        ShareGroup loaded = new ShareGroup("g", 0);
        CoordinatorRecords.readShareGroup(ByteBuffer.wrap(CoordinatorRecords.shareGroupValue(group)), loaded);

        assertThat(loaded.statePartitions).isEqualTo(Map.of(TOPIC, Set.of(0, 1), ALTERED, Set.of(3)));
    }

    @Test
    void aRecordWrittenBeforeStatePartitionsFallsBackToTheSubscribedPartitions() {
        ShareGroup group = new ShareGroup("g", 0);
        group.subscriptionMetadata = Map.of("t", new ShareGroup.SubscribedTopic(TOPIC, 3));
        byte[] value = CoordinatorRecords.shareGroupValue(group); // no state partitions: a trailing empty map
        byte[] older = Arrays.copyOf(value, value.length - Integer.BYTES);

        ShareGroup loaded = new ShareGroup("g", 0);
        CoordinatorRecords.readShareGroup(ByteBuffer.wrap(older), loaded);

        assertThat(loaded.statePartitions).isEqualTo(Map.of(TOPIC, Set.of(0, 1, 2)));
    }

    @Test
    void anAlteredStateFencesEveryLeaderThatLoadedTheOldOne() {
        assertThat(ShareGroupOffsets.nextStateEpoch(Optional.empty())).isEqualTo(1);
        assertThat(ShareGroupOffsets.nextStateEpoch(Optional.of(new SharePartitionState(4, -1, 10, java.util.List.of()))))
                .isEqualTo(5);
    }
}
