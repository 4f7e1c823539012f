package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.UnregisterBrokerRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.UnregisterBrokerResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin APIs and InitProducerId refuse what Kafka refuses, and change nothing they refuse. */
class AdminAuthorizationTest {

    @TempDir
    Path dir;

    private HandlerHarness broker;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        broker.createTopic("orders", 1);
        broker.createTopic("secrets", 1);
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
    }

    @Test
    void creatingNeedsCreateOnTheTopicOrTheClusterAndItsAnswerNeedsDescribeConfigs() {
        broker.authorizer.allow(ALICE, AclOperation.CREATE, ResourceType.TOPIC, "new-a")
                .allow(ALICE, AclOperation.CREATE, ResourceType.TOPIC, "new-b")
                .allow(ALICE, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "new-a");
        CreateTopicsHandler create = new CreateTopicsHandler(broker.topics, 1, (short) 1, broker.authorization);

        CreateTopicsResponse response = broker.call(create, createTopics("new-a", "new-b", "new-c"));

        CreatableTopicResult described = response.data().topics().find("new-a");
        CreatableTopicResult undescribed = response.data().topics().find("new-b");
        assertThat(described.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(described.numPartitions()).isEqualTo(2);
        assertThat(described.configs()).isNotEmpty();
        assertThat(undescribed.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(undescribed.topicConfigErrorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(undescribed.numPartitions()).isEqualTo(-1);
        assertThat(undescribed.configs()).isEmpty();
        assertThat(response.data().topics().find("new-c").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(broker.topics.store().topic("new-c")).isEmpty();

        broker.authorizer.allowCluster(ALICE, AclOperation.CREATE);
        CreateTopicsResponse again = broker.call(create, createTopics("new-c"));
        assertThat(again.data().topics().find("new-c").errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void deletingNeedsDeleteAndHidesTopicsThePrincipalMayNotDescribe() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders");
        Uuid secretsId = broker.topics.store().topic("secrets").orElseThrow().id();
        DeleteTopicsHandler delete = new DeleteTopicsHandler(broker.topics, broker.authorization);

        DeleteTopicsResponse response = broker.call(delete, new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicState().setName("orders").setTopicId(Uuid.ZERO_UUID),
                new DeleteTopicState().setName("missing").setTopicId(Uuid.ZERO_UUID),
                new DeleteTopicState().setName(null).setTopicId(secretsId))));

        assertThat(response.data().responses()).extracting(DeletableTopicResult::errorCode)
                .containsOnly(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        DeletableTopicResult byId = response.data().responses().stream().filter(r -> secretsId.equals(r.topicId()))
                .findFirst().orElseThrow();
        assertThat(byId.name()).isNull();
        assertThat(broker.topics.store().topic("orders")).isPresent();
        assertThat(broker.topics.store().topic("secrets")).isPresent();

        broker.authorizer.allow(ALICE, AclOperation.DELETE, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "missing");
        DeleteTopicsResponse allowed = broker.call(delete, new DeleteTopicsRequestData().setTopics(List.of(
                new DeleteTopicState().setName("orders").setTopicId(Uuid.ZERO_UUID),
                new DeleteTopicState().setName("missing").setTopicId(Uuid.ZERO_UUID))));
        assertThat(allowed.data().responses().find("orders").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(allowed.data().responses().find("missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(broker.topics.store().topic("orders")).isEmpty();
    }

    @Test
    void addingPartitionsNeedsAlter() {
        broker.authorizer.allow(ALICE, AclOperation.ALTER, ResourceType.TOPIC, "orders");
        CreatePartitionsHandler handler = new CreatePartitionsHandler(broker.topics, broker.authorization);
        CreatePartitionsRequestData data = new CreatePartitionsRequestData().setTimeoutMs(1000);
        for (String topic : List.of("orders", "secrets", "missing")) {
            data.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(topic).setCount(3)
                    .setAssignments(null));
        }

        CreatePartitionsResponse response = broker.call(handler, data);

        assertThat(response.data().results()).extracting(result -> result.name() + ":" + result.errorCode())
                .containsExactly("orders:0", "secrets:" + Errors.TOPIC_AUTHORIZATION_FAILED.code(),
                        "missing:" + Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(broker.topics.store().topic("secrets").orElseThrow().partitionCount()).isOne();
    }

    @Test
    void movingPartitionsNeedsAlterOnTheClusterListingThemDescribeAndUnregisteringABrokerAlter() {
        AlterPartitionReassignmentsHandler alter = new AlterPartitionReassignmentsHandler(broker.topics.store(),
                broker.authorization);
        ListPartitionReassignmentsHandler list = new ListPartitionReassignmentsHandler(broker.topics.store(),
                broker.authorization);
        UnregisterBrokerHandler unregister = new UnregisterBrokerHandler(broker.topics.store(), broker.authorization);
        AlterPartitionReassignmentsRequestData move = new AlterPartitionReassignmentsRequestData().setTopics(List.of(
                new ReassignableTopic().setName("orders").setPartitions(List.of(
                        new ReassignablePartition().setPartitionIndex(0).setReplicas(List.of(0))))));

        AlterPartitionReassignmentsResponse refused = broker.call(alter, move);
        assertThat(refused.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(refused.data().responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        ListPartitionReassignmentsResponse unlisted = broker.call(list, new ListPartitionReassignmentsRequestData());
        assertThat(unlisted.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        UnregisterBrokerResponse kept = broker.call(unregister, new UnregisterBrokerRequestData().setBrokerId(3));
        assertThat(kept.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());

        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE);
        ListPartitionReassignmentsResponse listed = broker.call(list, new ListPartitionReassignmentsRequestData());
        assertThat(listed.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(listed.data().topics()).isEmpty();
        assertThat(broker.<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse>call(alter, move)
                .data().errorCode()).as("DESCRIBE is not ALTER").isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());

        broker.authorizer.allowCluster(ALICE, AclOperation.ALTER);
        AlterPartitionReassignmentsResponse moved = broker.call(alter, move);
        assertThat(moved.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(moved.data().responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        UnregisterBrokerResponse unknown = broker.call(unregister, new UnregisterBrokerRequestData().setBrokerId(3));
        assertThat(unknown.data().errorCode()).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED.code());
    }

    @Test
    void describingConfigsNeedsDescribeConfigsOnTheTopicOrTheCluster() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "orders");
        DescribeConfigsHandler handler = new DescribeConfigsHandler(broker.topics, broker.broker, broker.brokerConfigs,
                broker.groupConfigs, broker.authorization);

        DescribeConfigsResponse response = broker.call(handler, new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("orders"),
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName("secrets"),
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("0"))));

        List<DescribeConfigsResult> results = response.data().results();
        assertThat(results.get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(results.get(1).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(results.get(1).configs()).isEmpty();
        assertThat(results.get(2).errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
    }

    @Test
    void alteringConfigsNeedsAlterConfigsAndLeavesRefusedTopicsAlone() {
        broker.authorizer.allow(ALICE, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, "orders");
        IncrementalAlterConfigsHandler handler = new IncrementalAlterConfigsHandler(broker.topics, broker.brokerConfigs, broker.groupConfigs,
                broker.authorization);
        IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
        for (String topic : List.of("orders", "secrets")) {
            AlterConfigsResource resource = new AlterConfigsResource().setResourceType(ConfigResource.Type.TOPIC.id())
                    .setResourceName(topic);
            resource.configs().add(new AlterableConfig().setName("retention.ms").setValue("1000").setConfigOperation((byte) 0));
            data.resources().add(resource);
        }
        data.resources().add(new AlterConfigsResource().setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("0"));

        IncrementalAlterConfigsResponse response = broker.call(handler, data);

        assertThat(response.data().responses()).extracting(AlterConfigsResourceResponse::errorCode).containsExactly(
                Errors.NONE.code(), Errors.TOPIC_AUTHORIZATION_FAILED.code(), Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(broker.topics.store().topic("orders").orElseThrow().configs()).containsEntry("retention.ms", "1000");
        assertThat(broker.topics.store().topic("secrets").orElseThrow().configs()).doesNotContainKey("retention.ms");
    }

    @Test
    void aGroupsConfigsNeedDescribeConfigsAndAlterConfigsOnTheGroup() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE_CONFIGS, ResourceType.GROUP, "mine")
                .allow(ALICE, AclOperation.ALTER_CONFIGS, ResourceType.GROUP, "mine");
        IncrementalAlterConfigsHandler alter = new IncrementalAlterConfigsHandler(broker.topics, broker.brokerConfigs,
                broker.groupConfigs, broker.authorization);
        IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
        for (String group : List.of("mine", "theirs")) {
            AlterConfigsResource resource = new AlterConfigsResource().setResourceType(ConfigResource.Type.GROUP.id())
                    .setResourceName(group);
            resource.configs().add(new AlterableConfig().setName("share.auto.offset.reset").setValue("earliest")
                    .setConfigOperation((byte) 0));
            data.resources().add(resource);
        }
        IncrementalAlterConfigsResponse altered = broker.call(alter, data);
        assertThat(altered.data().responses()).extracting(AlterConfigsResourceResponse::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(broker.groupConfigs.overrides("mine")).containsEntry("share.auto.offset.reset", "earliest");
        assertThat(broker.groupConfigs.overrides("theirs")).isEmpty();

        AlterConfigsHandler legacy = new AlterConfigsHandler(broker.topics, broker.brokerConfigs, broker.groupConfigs,
                broker.authorization);
        var legacyData = new org.apache.kafka.common.message.AlterConfigsRequestData();
        legacyData.resources().add(new org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.GROUP.id()).setResourceName("theirs"));
        org.apache.kafka.common.requests.AlterConfigsResponse replaced = broker.call(legacy, legacyData);
        assertThat(replaced.data().responses().get(0).errorCode()).isEqualTo(Errors.GROUP_AUTHORIZATION_FAILED.code());

        DescribeConfigsHandler describe = new DescribeConfigsHandler(broker.topics, broker.broker, broker.brokerConfigs,
                broker.groupConfigs, broker.authorization);
        DescribeConfigsResponse described = broker.call(describe, new DescribeConfigsRequestData().setResources(List.of(
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.GROUP.id()).setResourceName("mine"),
                new DescribeConfigsResource().setResourceType(ConfigResource.Type.GROUP.id()).setResourceName("theirs"))));
        assertThat(described.data().results()).extracting(DescribeConfigsResult::errorCode)
                .containsExactly(Errors.NONE.code(), Errors.GROUP_AUTHORIZATION_FAILED.code());
        assertThat(described.data().results().get(1).configs()).isEmpty();
    }

    @Test
    void anyoneMayDescribeTheClusterButItsOperationsNeedDescribe() {
        DescribeClusterHandler handler = new DescribeClusterHandler(broker.broker, broker.topics.store(), broker.authorization);
        DescribeClusterRequestData data = new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true);

        DescribeClusterResponse refused = broker.call(handler, data);
        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE).allowCluster(ALICE, AclOperation.ALTER);
        DescribeClusterResponse allowed = broker.call(handler, data);

        assertThat(refused.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(refused.data().brokers()).hasSize(1);
        assertThat(refused.data().clusterAuthorizedOperations()).isZero();
        assertThat(Utils.from32BitField(allowed.data().clusterAuthorizedOperations()))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE.code(), AclOperation.ALTER.code());
    }

    @Test
    void aclsAreManagedWithAlterAndListedWithDescribeOnTheCluster() {
        CreateAclsHandler create = new CreateAclsHandler(broker.authorization);
        DescribeAclsHandler describe = new DescribeAclsHandler(broker.authorization);
        DeleteAclsHandler delete = new DeleteAclsHandler(broker.authorization);
        org.apache.kafka.common.message.CreateAclsRequestData creation = new org.apache.kafka.common.message.CreateAclsRequestData()
                .setCreations(List.of(new org.apache.kafka.common.message.CreateAclsRequestData.AclCreation()
                        .setResourceType(ResourceType.TOPIC.code()).setResourceName("orders")
                        .setResourcePatternType(org.apache.kafka.common.resource.PatternType.LITERAL.code())
                        .setPrincipal("User:bob").setHost("*").setOperation(AclOperation.READ.code())
                        .setPermissionType(org.apache.kafka.common.acl.AclPermissionType.ALLOW.code())));
        org.apache.kafka.common.message.DescribeAclsRequestData listing = new org.apache.kafka.common.message.DescribeAclsRequestData()
                .setResourceTypeFilter(ResourceType.ANY.code()).setResourceNameFilter(null)
                .setPatternTypeFilter(org.apache.kafka.common.resource.PatternType.ANY.code())
                .setPrincipalFilter(null).setHostFilter(null)
                .setOperation(AclOperation.ANY.code())
                .setPermissionType(org.apache.kafka.common.acl.AclPermissionType.ANY.code());
        org.apache.kafka.common.message.DeleteAclsRequestData deletion = new org.apache.kafka.common.message.DeleteAclsRequestData()
                .setFilters(List.of(new org.apache.kafka.common.message.DeleteAclsRequestData.DeleteAclsFilter()
                        .setResourceTypeFilter(ResourceType.TOPIC.code()).setResourceNameFilter("orders")
                        .setPatternTypeFilter(org.apache.kafka.common.resource.PatternType.ANY.code())
                        .setPrincipalFilter(null).setHostFilter(null)
                        .setOperation(AclOperation.ANY.code())
                        .setPermissionType(org.apache.kafka.common.acl.AclPermissionType.ANY.code())));

        org.apache.kafka.common.requests.CreateAclsResponse refusedCreate = broker.call(create, creation);
        org.apache.kafka.common.requests.DescribeAclsResponse refusedList = broker.call(describe, listing);
        assertThat(refusedCreate.results()).extracting(r -> r.errorCode()).containsExactly(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(refusedList.error().error()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertThat(broker.authorizer.acls(org.apache.kafka.common.acl.AclBindingFilter.ANY))
                .noneMatch(acl -> acl.entry().principal().equals("User:bob"));

        broker.authorizer.allowCluster(ALICE, AclOperation.ALTER).allowCluster(ALICE, AclOperation.DESCRIBE);
        org.apache.kafka.common.requests.CreateAclsResponse created = broker.call(create, creation);
        org.apache.kafka.common.requests.DescribeAclsResponse listed = broker.call(describe, listing);
        assertThat(created.results()).extracting(r -> r.errorCode()).containsExactly(Errors.NONE.code());
        assertThat(listed.acls().toString()).contains("User:bob");
        org.apache.kafka.common.requests.DeleteAclsResponse deleted = broker.call(delete, deletion);
        assertThat(deleted.filterResults().get(0).matchingAcls()).hasSize(1);
        assertThat(broker.authorizer.acls(org.apache.kafka.common.acl.AclBindingFilter.ANY))
                .noneMatch(acl -> acl.entry().principal().equals("User:bob"));
    }

    @Test
    void logDirectoriesNeedDescribeOnTheCluster() {
        DescribeLogDirsHandler handler = new DescribeLogDirsHandler(broker.logs, broker.authorization);
        org.apache.kafka.common.message.DescribeLogDirsRequestData all =
                new org.apache.kafka.common.message.DescribeLogDirsRequestData().setTopics(null);

        org.apache.kafka.common.requests.DescribeLogDirsResponse refused = broker.call(handler, all);
        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE);
        org.apache.kafka.common.requests.DescribeLogDirsResponse allowed = broker.call(handler, all);

        assertThat(refused.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(refused.data().results()).isEmpty();
        assertThat(allowed.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(allowed.data().results().get(0).topics())
                .extracting(org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic::name)
                .contains("orders", "secrets");
    }

    @Test
    void idempotentProducersNeedIdempotentWriteOrWriteOnSomeTopic() {
        InitProducerIdHandler handler = new InitProducerIdHandler(broker.producerIds, broker.authorization);
        InitProducerIdRequestData idempotent = new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1);

        InitProducerIdResponse refused = broker.call(handler, idempotent);
        broker.authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders");
        InitProducerIdResponse byTopicWrite = broker.call(handler, idempotent);
        InitProducerIdResponse transactional = broker.call(handler, new InitProducerIdRequestData()
                .setTransactionalId("payments-tx").setTransactionTimeoutMs(60_000).setProducerId(-1)
                .setProducerEpoch((short) -1));

        assertThat(refused.error()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertThat(byTopicWrite.error()).isEqualTo(Errors.NONE);
        assertThat(byTopicWrite.data().producerId()).isNotNegative();
        assertThat(transactional.error()).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    }

    @Test
    void theOlderAlterConfigsNeedsAlterConfigsOnTheTopicOrTheClusterToo() {
        broker.authorizer.allow(ALICE, AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, "orders");
        AlterConfigsHandler handler = new AlterConfigsHandler(broker.topics, broker.brokerConfigs, broker.groupConfigs, broker.authorization);
        org.apache.kafka.common.message.AlterConfigsRequestData data = new org.apache.kafka.common.message.AlterConfigsRequestData();
        for (String topic : List.of("orders", "secrets")) {
            var resource = new org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(topic);
            resource.configs().add(new org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig()
                    .setName("retention.ms").setValue("1000"));
            data.resources().add(resource);
        }
        var brokerResource = new org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource()
                .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("");
        brokerResource.configs().add(new org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig()
                .setName("leader.replication.throttled.rate").setValue("1000"));
        data.resources().add(brokerResource);

        org.apache.kafka.common.requests.AlterConfigsResponse response = broker.call(handler, data);

        assertThat(response.data().responses()).extracting(r -> Errors.forCode(r.errorCode())).containsExactly(
                Errors.NONE, Errors.TOPIC_AUTHORIZATION_FAILED, Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertThat(broker.topics.store().topic("secrets").orElseThrow().configs()).doesNotContainKey("retention.ms");
        assertThat(broker.brokerConfigs.dynamicConfigs("")).isEmpty();

        broker.authorizer.allowCluster(ALICE, AclOperation.ALTER_CONFIGS);
        org.apache.kafka.common.requests.AlterConfigsResponse allowed = broker.call(handler, data);
        assertThat(allowed.data().responses().get(2).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(broker.brokerConfigs.leaderReplicationThrottledRate()).isEqualTo(1000);
    }

    @Test
    void electingLeadersNeedsAlterOnTheCluster() {
        ElectLeadersHandler handler = new ElectLeadersHandler(broker.topics.store(), broker.authorization);
        var partitions = new org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitionsCollection();
        partitions.add(new org.apache.kafka.common.message.ElectLeadersRequestData.TopicPartitions().setTopic("orders")
                .setPartitions(List.of(0)));
        var data = new org.apache.kafka.common.message.ElectLeadersRequestData().setTopicPartitions(partitions);

        org.apache.kafka.common.requests.ElectLeadersResponse refused = broker.call(handler, data);
        broker.authorizer.allowCluster(ALICE, AclOperation.ALTER);
        org.apache.kafka.common.requests.ElectLeadersResponse allowed = broker.call(handler, data);

        assertThat(refused.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(refused.data().replicaElectionResults().get(0).partitionResult().get(0).errorCode())
                .isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(allowed.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(allowed.data().replicaElectionResults().get(0).partitionResult().get(0).errorCode())
                .isEqualTo(Errors.ELECTION_NOT_NEEDED.code());
    }

    private static CreateTopicsRequestData createTopics(String... names) {
        CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(1000);
        for (String name : names) {
            data.topics().add(new CreatableTopic().setName(name).setNumPartitions(2).setReplicationFactor((short) 1));
        }
        return data;
    }
}
