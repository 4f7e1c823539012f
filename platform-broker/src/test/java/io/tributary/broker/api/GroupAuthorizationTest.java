package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.tributary.broker.group.CommittedOffset;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group APIs refuse what Kafka refuses: group ACLs first, then topic ACLs per partition. */
class GroupAuthorizationTest {

    @TempDir
    Path dir;

    private HandlerHarness broker;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        broker.createTopic("orders", 1);
        broker.createTopic("secrets", 1);
        broker.groups.ensureOffsetsTopic();
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
    }

    @Test
    void committingNeedsReadOnTheGroupAndNothingIsCommittedWithoutIt() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");

        OffsetCommitResponse response = commit("billing", "orders");

        assertThat(response.data().topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(committed("billing")).isEmpty();
    }

    @Test
    void committingNeedsReadOnEachTopicAndCommitsOnlyTheAllowedOnes() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");

        OffsetCommitResponse response = commit("billing", "orders", "secrets");

        assertThat(response.data().topics()).extracting(topic -> topic.name() + ":" + topic.partitions().get(0).errorCode())
                .containsExactlyInAnyOrder("orders:" + Errors.NONE.code(), "secrets:" + Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(committed("billing")).containsOnlyKeys(new TopicPartition("orders", 0));
    }

    @Test
    void fetchingOffsetsNeedsDescribeOnTheGroupAndShowsOnlyDescribableTopics() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "secrets");
        commit("billing", "orders", "secrets");
        OffsetFetchHandler fetch = new OffsetFetchHandler(broker.groups, broker.authorization);

        OffsetFetchResponse withoutDescribe = broker.call(fetch, allOffsets("billing"));
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders");
        OffsetFetchResponse all = broker.call(fetch, allOffsets("billing"));
        OffsetFetchResponse named = broker.call(fetch, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("billing").setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("orders").setPartitionIndexes(List.of(0)),
                        new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("secrets").setPartitionIndexes(List.of(0)))))));

        assertThat(group(withoutDescribe).errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(group(all).topics()).extracting(OffsetFetchResponseTopics::name).containsExactly("orders");
        assertThat(group(named).topics()).extracting(topic -> topic.name() + ":" + topic.partitions().get(0).errorCode()
                + ":" + topic.partitions().get(0).committedOffset())
                .containsExactly("orders:0:5", "secrets:" + Errors.TOPIC_AUTHORIZATION_FAILED.code() + ":-1");
    }

    @Test
    void singleGroupVersionsAnswerARefusalAtTheTopLevel() {
        OffsetFetchHandler fetch = new OffsetFetchHandler(broker.groups, broker.authorization);

        OffsetFetchResponse response = broker.call(fetch, new OffsetFetchRequestData().setGroupId("billing").setTopics(null),
                (short) 7);

        assertThat(response.data().errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void membershipNeedsReadOnTheGroup() {
        List<AbstractResponse> responses = List.of(
                broker.call(new JoinGroupHandler(broker.groups, broker.authorization), new JoinGroupRequestData()
                        .setGroupId("billing").setMemberId("").setProtocolType("consumer").setSessionTimeoutMs(10_000)
                        .setRebalanceTimeoutMs(10_000)),
                broker.call(new SyncGroupHandler(broker.groups, broker.authorization), new SyncGroupRequestData()
                        .setGroupId("billing").setMemberId("m").setGenerationId(1).setProtocolType("consumer")
                        .setProtocolName("range")),
                broker.call(new HeartbeatHandler(broker.groups, broker.authorization), new HeartbeatRequestData()
                        .setGroupId("billing").setMemberId("m").setGenerationId(1)),
                broker.call(new LeaveGroupHandler(broker.groups, broker.authorization), new LeaveGroupRequestData()
                        .setGroupId("billing").setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m")))));

        assertThat(responses).allSatisfy(response ->
                assertThat(response.errorCounts()).containsOnlyKeys(Errors.GROUP_AUTHORIZATION_FAILED));
        assertThat(broker.groups.describe("billing")).isEmpty();
    }

    @Test
    void describingNeedsDescribeOnEachGroupAndTellsItsAuthorizedOperations() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        commit("billing", "orders");
        DescribeGroupsHandler describe = new DescribeGroupsHandler(broker.groups, broker.authorization);

        DescribeGroupsResponse response = broker.call(describe, new DescribeGroupsRequestData()
                .setGroups(List.of("billing", "payroll")).setIncludeAuthorizedOperations(true));

        DescribedGroup billing = response.data().groups().get(0);
        DescribedGroup payroll = response.data().groups().get(1);
        assertThat(billing.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(Utils.from32BitField(billing.authorizedOperations()))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE.code(), AclOperation.READ.code());
        assertThat(payroll.errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    @Test
    void listingShowsAllGroupsWithClusterDescribeAndOtherwiseOnlyDescribableOnes() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.GROUP, "payroll")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        commit("billing", "orders");
        commit("payroll", "orders");
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "billing");
        ListGroupsHandler list = new ListGroupsHandler(broker.groups, broker.authorization);

        ListGroupsResponse some = broker.call(list, new ListGroupsRequestData());
        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE);
        ListGroupsResponse all = broker.call(list, new ListGroupsRequestData());

        assertThat(some.data().groups()).extracting(ListedGroup::groupId).containsExactly("billing");
        assertThat(all.data().groups()).extracting(ListedGroup::groupId).containsExactlyInAnyOrder("billing", "payroll");
    }

    @Test
    void deletingNeedsDeleteOnEachGroupAndKeepsTheOthers() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.GROUP, "payroll")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.DELETE, ResourceType.GROUP, "billing");
        commit("billing", "orders");
        commit("payroll", "orders");

        DeleteGroupsResponse response = broker.call(new DeleteGroupsHandler(broker.groups::deleteGroupAsync, broker.authorization),
                new DeleteGroupsRequestData().setGroupsNames(List.of("billing", "payroll", "payroll")));

        assertThat(response.data().results().find("billing").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().results().find("payroll").errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(response.data().results()).hasSize(2);
        assertThat(committed("payroll")).isNotEmpty();
    }

    @Test
    void deletingOffsetsNeedsDeleteOnTheGroupAndReadOnEachTopic() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "secrets");
        commit("billing", "orders", "secrets");
        OffsetDeleteHandler offsetDelete = new OffsetDeleteHandler(broker.groups, broker.authorization);
        OffsetDeleteRequestData data = new OffsetDeleteRequestData().setGroupId("billing");
        for (String topic : List.of("orders", "secrets")) {
            data.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(topic).setPartitions(List.of(
                    new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        }

        OffsetDeleteResponse refused = broker.call(offsetDelete, data);
        // Another principal's view: it may delete the group's offsets, and read "orders" only.
        GrantsAuthorizer partial = new GrantsAuthorizer().allow(ALICE, AclOperation.DELETE, ResourceType.GROUP, "billing")
                .allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        OffsetDeleteResponse response = broker.call(new OffsetDeleteHandler(broker.groups, new RequestAuthorization(partial)),
                data);

        assertThat(refused.data().errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(response.data().topics().find("orders").partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().topics().find("secrets").partitions().find(0).errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(committed("billing")).containsOnlyKeys(new TopicPartition("secrets", 0));
    }

    @Test
    void coordinatorsAreToldOnlyForDescribableGroupsAndTransactionalIds() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.GROUP, "billing");
        FindCoordinatorHandler find = new FindCoordinatorHandler(broker.broker, broker.groups, broker.topics.store(),
                broker.authorization);

        FindCoordinatorResponse groups = broker.call(find, new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id()).setCoordinatorKeys(List.of("billing", "payroll")));
        FindCoordinatorResponse transactions = broker.call(find, new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id()).setCoordinatorKeys(List.of("tx")));
        FindCoordinatorResponse single = broker.call(find, new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.GROUP.id()).setKey("payroll"), (short) 3);

        assertThat(groups.data().coordinators()).extracting(c -> c.key() + ":" + c.errorCode() + ":" + c.nodeId())
                .containsExactly("billing:0:0", "payroll:" + Errors.GROUP_AUTHORIZATION_FAILED.code() + ":-1");
        assertThat(transactions.data().coordinators().get(0).errorCode())
                .isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        assertThat(single.data().errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());
    }

    /** Commits offset 5 of partition 0 of each topic, as a consumer outside any generation. */
    private OffsetCommitResponse commit(String group, String... topics) {
        OffsetCommitRequestData data = new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1)
                .setMemberId("");
        for (String topic : topics) {
            data.topics().add(new OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                    new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5))));
        }
        return broker.call(new OffsetCommitHandler(broker.groups, broker.authorization), data);
    }

    private Map<TopicPartition, CommittedOffset> committed(String group) {
        return broker.groups.committedOffsets(group, null);
    }

    private static OffsetFetchRequestData allOffsets(String group) {
        return new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setTopics(null)));
    }

    private static OffsetFetchResponseGroup group(OffsetFetchResponse response) {
        return response.data().groups().get(0);
    }
}
