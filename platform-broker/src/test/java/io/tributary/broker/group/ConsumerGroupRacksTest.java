package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.ManualClock;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import io.tributary.broker.group.assignor.PartitionRacks;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * Racks in a consumer group, at the level of one coordinator shard: members' {@code client.rack} and the
 * partitions' replica racks steer the target assignment (KIP-881); a change of either moves the group epoch
 * (KIP-1101 for the partitions'), and a load keeps what the epoch was computed with.
 */
class ConsumerGroupRacksTest {

    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0,
            3_600_000, 60_000, 64).withConsumerGroups(new ConsumerGroupConfig(10_000, 1_000, List.of("uniform", "range")));
    private static final TopicInfo ORDERS = new TopicInfo("orders", Uuid.randomUuid(), 4, Map.of());

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<TopicInfo> topics = List.of(ORDERS);
    /** Each partition's replica racks, as the cluster metadata would say. */
    private final Map<TopicPartition, Set<String>> replicaRacks = new HashMap<>();
    private final PartitionRacks racks = tp -> replicaRacks.getOrDefault(tp, Set.of());
    private final List<SimpleRecord> records = new ArrayList<>();
    private final CoordinatorWriter writes = new CoordinatorWriter() {
        @Override
        public <T> CompletableFuture<T> write(CoordinatorResult<T> result) {
            records.addAll(result.records());
            return CompletableFuture.completedFuture(result.response());
        }
    };
    private GroupCoordinatorShard shard = new GroupCoordinatorShard(CONFIG, scheduler, clock, writes, () -> topics, () -> racks);

    private void placeReplicas(String rackOfLowHalf, String rackOfHighHalf) {
        for (int p = 0; p < 4; p++) {
            replicaRacks.put(new TopicPartition("orders", p), Set.of(p < 2 ? rackOfLowHalf : rackOfHighHalf));
        }
    }

    private ConsumerGroupHeartbeatResponseData join(String memberId, String rack) {
        return heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(0)
                .setRackId(rack).setRebalanceTimeoutMs(5_000).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of()));
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(String memberId, int epoch, String rack) {
        return heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(epoch)
                .setRackId(rack));
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request) {
        return shard.groups.consumers.heartbeat(request, "client", "/127.0.0.1", (short) 1).join();
    }

    private ConsumerGroupDescribeResponseData.DescribedGroup described() {
        return shard.groups.consumers.describe("g");
    }

    private Set<Integer> target(String memberId) {
        Set<Integer> partitions = new HashSet<>();
        described().members().stream().filter(m -> m.memberId().equals(memberId)).findFirst().orElseThrow()
                .targetAssignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        return partitions;
    }

    @Test
    void eachMemberIsAssignedThePartitionsWithReplicasInItsRackAndDescribeShowsItsRack() {
        placeReplicas("east", "west");
        join("w", "west");
        join("e", "east");

        assertThat(target("e")).containsExactlyInAnyOrder(0, 1);
        assertThat(target("w")).containsExactlyInAnyOrder(2, 3);
        assertThat(described().members()).extracting(ConsumerGroupDescribeResponseData.Member::rackId)
                .containsExactlyInAnyOrder("west", "east");
    }

    @Test
    void replicasMovingToOtherRacksMoveTheGroupEpochAndTheTarget() {
        placeReplicas("east", "west");
        join("w", "west");
        join("e", "east");
        int epoch = described().groupEpoch();

        placeReplicas("west", "east"); // a reassignment swapped the halves' racks
        heartbeat("w", 1, null);

        assertThat(described().groupEpoch()).isEqualTo(epoch + 1);
        assertThat(target("w")).containsExactlyInAnyOrder(0, 1);
        assertThat(target("e")).containsExactlyInAnyOrder(2, 3);

        heartbeat("w", 1, null);
        assertThat(described().groupEpoch()).as("no change, no new epoch").isEqualTo(epoch + 1);
    }

    @Test
    void aMemberMovingToAnotherRackMovesTheGroupEpoch() {
        placeReplicas("east", "west");
        join("w", "west");
        join("e", "east");
        int epoch = described().groupEpoch();

        heartbeat("w", 1, "west");
        assertThat(described().groupEpoch()).as("the same rack again").isEqualTo(epoch);

        heartbeat("w", 1, "east");
        assertThat(described().groupEpoch()).isEqualTo(epoch + 1);
        assertThat(described().members()).filteredOn(m -> m.memberId().equals("w"))
                .extracting(ConsumerGroupDescribeResponseData.Member::rackId).containsExactly("east");
    }

    @Test
    void aLoadKeepsWhatTheEpochWasComputedWithSoThatNothingMoves() {
        placeReplicas("east", "west");
        join("w", "west");
        join("e", "east");
        int epoch = described().groupEpoch();

        GroupCoordinatorShard loaded = new GroupCoordinatorShard(CONFIG, scheduler, clock, writes, () -> topics, () -> racks);
        for (int i = 0; i < records.size(); i++) {
            SimpleRecord record = records.get(i);
            loaded.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(), i);
        }
        loaded.onLoaded();
        shard = loaded;

        heartbeat("w", described().members().stream().filter(m -> m.memberId().equals("w")).findFirst().orElseThrow()
                .memberEpoch(), null);
        assertThat(described().groupEpoch()).isEqualTo(epoch);
        assertThat(target("e")).containsExactlyInAnyOrder(0, 1);
    }
}
