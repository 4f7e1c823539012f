package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.tributary.broker.compat.RawKafkaClient;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.ShareGroupHeartbeatResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Share groups (KIP-932) as clients see their membership: ShareGroupHeartbeat requests as KafkaShareConsumer
 * sends them, and kafka-clients' Admin listing share groups by type, describing them, and deleting an empty one.
 */
@Timeout(60)
class ShareGroupTest extends BrokerPerClass {

    private ShareGroupHeartbeatResponseData heartbeat(RawKafkaClient client, String group, String memberId, int epoch,
            List<String> topics) {
        ShareGroupHeartbeatResponse response = client.call(ApiKeys.SHARE_GROUP_HEARTBEAT, (short) 1,
                new ShareGroupHeartbeatRequestData().setGroupId(group).setMemberId(memberId).setMemberEpoch(epoch)
                        .setSubscribedTopicNames(topics));
        return response.data();
    }

    /** Joins once the coordinator is loaded (the first FindCoordinator creates {@code __consumer_offsets}). */
    private ShareGroupHeartbeatResponseData join(RawKafkaClient client, String group, String memberId, List<String> topics) {
        client.call(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id()).setCoordinatorKeys(List.of(group))).build());
        ShareGroupHeartbeatResponseData[] joined = new ShareGroupHeartbeatResponseData[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            joined[0] = heartbeat(client, group, memberId, 0, topics);
            assertThat(Errors.forCode(joined[0].errorCode())).isEqualTo(Errors.NONE);
        });
        return joined[0];
    }

    private static int partitionCount(ShareGroupHeartbeatResponseData response) {
        return response.assignment().topicPartitions().stream().mapToInt(tp -> tp.partitions().size()).sum();
    }

    @Test
    void membersJoinSharePartitionsLeaveAndTheAdminClientListsDescribesAndDeletesTheGroup() {
        createTopic(admin, "share-orders", 3);
        String group = "share-orders-workers";
        String m1 = Uuid.randomUuid().toString();
        String m2 = Uuid.randomUuid().toString();
        try (RawKafkaClient client = new RawKafkaClient("localhost", broker.port())) {
            ShareGroupHeartbeatResponseData first = join(client, group, m1, List.of("share-orders"));
            assertThat(first.memberId()).isEqualTo(m1);
            assertThat(first.memberEpoch()).isEqualTo(1);
            assertThat(partitionCount(first)).isEqualTo(3);

            ShareGroupHeartbeatResponseData second = heartbeat(client, group, m2, 0, List.of("share-orders"));
            assertThat(second.memberEpoch()).isEqualTo(2);
            ShareGroupHeartbeatResponseData firstAgain = heartbeat(client, group, m1, 1, null);
            assertThat(firstAgain.memberEpoch()).isEqualTo(2);
            assertThat(partitionCount(firstAgain) + partitionCount(second)).as("each partition to one of two").isEqualTo(3);

            List<GroupListing> shares = List.copyOf(get(admin.listGroups(ListGroupsOptions.forShareGroups()).all()));
            assertThat(shares).filteredOn(g -> g.groupId().equals(group)).singleElement().satisfies(listing -> {
                assertThat(listing.type()).contains(GroupType.SHARE);
                assertThat(listing.protocol()).isEqualTo("share");
                assertThat(listing.groupState()).contains(GroupState.STABLE);
            });
            assertThat(get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()))
                    .noneMatch(g -> g.groupId().equals(group));

            ShareGroupDescription described = get(admin.describeShareGroups(List.of(group)).describedGroups().get(group));
            assertThat(described.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(described.groupEpoch()).isEqualTo(2);
            assertThat(described.targetAssignmentEpoch()).isEqualTo(2);
            assertThat(described.members()).extracting(ShareMemberDescription::consumerId).containsExactlyInAnyOrder(m1, m2);
            Set<TopicPartition> assigned = new HashSet<>();
            described.members().forEach(member -> assigned.addAll(member.assignment().topicPartitions()));
            assertThat(assigned).containsExactlyInAnyOrder(new TopicPartition("share-orders", 0),
                    new TopicPartition("share-orders", 1), new TopicPartition("share-orders", 2));

            assertThat(Errors.forCode(heartbeat(client, group, m2, 3, null).errorCode())).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
            assertThat(heartbeat(client, group, m2, -1, null).memberEpoch()).isEqualTo(-1);
            assertThat(heartbeat(client, group, m1, -1, null).memberEpoch()).isEqualTo(-1);
            assertThat(get(admin.describeShareGroups(List.of(group)).describedGroups().get(group)).groupState())
                    .isEqualTo(GroupState.EMPTY);

            get(admin.deleteShareGroups(List.of(group)).all());
            assertThat(get(admin.listGroups(ListGroupsOptions.forShareGroups()).all())).noneMatch(g -> g.groupId().equals(group));
        }
    }

    @Test
    void aShareGroupIdTakenByAConsumerGroupIsRefused() {
        createTopic(admin, "share-taken", 1);
        try (RawKafkaClient client = new RawKafkaClient("localhost", broker.port());
                BackgroundConsumer consumer = new BackgroundConsumer("share-taken-consumer", bootstrap(), "share-taken-group",
                        java.util.Map.of(), List.of("share-taken"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> consumer.assignment().size() == 1);
            ShareGroupHeartbeatResponseData refused = heartbeat(client, "share-taken-group", Uuid.randomUuid().toString(), 0,
                    List.of("share-taken"));
            assertThat(Errors.forCode(refused.errorCode())).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        }
    }
}
