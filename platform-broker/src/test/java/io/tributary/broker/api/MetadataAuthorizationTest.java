package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.authorizer.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata shows a principal only the topics it may describe, and creates only what it may create. */
class MetadataAuthorizationTest {

    @TempDir
    Path dir;

    private HandlerHarness broker;
    private MetadataHandler metadata;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        broker.createTopic("orders", 1);
        broker.createTopic("secrets", 1);
        metadata = new MetadataHandler(broker.broker, broker.topics, true, 1, 1, broker.authorization);
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders");
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
    }

    @Test
    void theAllTopicsListingLeavesOutWhatThePrincipalMayNotDescribeWithoutAuditingIt() {
        MetadataResponse response = broker.call(metadata, new MetadataRequestData().setTopics(null));

        assertThat(response.data().topics()).extracting(MetadataResponseTopic::name).containsExactly("orders");
        assertThat(broker.authorizer.asked().get(0)).allSatisfy(action -> assertThat(action.logIfDenied()).isFalse());
    }

    @Test
    void namedTopicsThePrincipalMayNotDescribeAreRefusedWhetherTheyExistOrNot() {
        MetadataResponse response = broker.call(metadata, named(false, "orders", "secrets", "missing"));

        assertThat(topic(response, "orders").errorCode()).isEqualTo(Errors.NONE.code());
        for (String refused : List.of("secrets", "missing")) {
            assertThat(topic(response, refused).errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            assertThat(topic(response, refused).topicId()).isEqualTo(Uuid.ZERO_UUID);
            assertThat(topic(response, refused).partitions()).isEmpty();
        }
        assertThat(broker.authorizer.asked().get(0)).allSatisfy(action -> assertThat(action.logIfDenied()).isTrue());
    }

    @Test
    void autoCreationNeedsCreateOnTheClusterOrOnTheTopic() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "new-a")
                .allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "new-b")
                .allow(ALICE, AclOperation.CREATE, ResourceType.TOPIC, "new-a");

        MetadataResponse response = broker.call(metadata, named(true, "new-a", "new-b"));

        assertThat(topic(response, "new-a").errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(topic(response, "new-b").errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(broker.topics.store().topic("new-a")).isPresent();
        assertThat(broker.topics.store().topic("new-b")).isEmpty();
        // The cluster-wide CREATE is a fallback: its absence is not audited, the per-topic refusal is.
        Action clusterCreate = broker.authorizer.asked().stream().flatMap(List::stream)
                .filter(action -> action.resourcePattern().resourceType() == ResourceType.CLUSTER).findFirst().orElseThrow();
        assertThat(clusterCreate.logIfDenied()).isFalse();

        broker.authorizer.allowCluster(ALICE, AclOperation.CREATE);
        assertThat(topic(broker.call(metadata, named(true, "new-b")), "new-b").errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void withoutAutoCreationAnAuthorizedUnknownTopicIsUnknown() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "missing");

        MetadataResponse response = broker.call(metadata, named(false, "missing"));

        assertThat(topic(response, "missing").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void topicsAskedForByIdAreRefusedWithTheirIdButWithoutTheirName() {
        Uuid secretId = broker.topics.store().topic("secrets").orElseThrow().id();
        MetadataRequestData data = new MetadataRequestData().setTopics(List.of(
                new MetadataRequestTopic().setTopicId(secretId).setName(null)));

        MetadataResponse response = broker.call(metadata, data);

        MetadataResponseTopic refused = response.data().topics().iterator().next();
        assertThat(refused.errorCode()).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(refused.topicId()).isEqualTo(secretId);
        assertThat(refused.name()).isNull();
    }

    @Test
    void authorizedOperationsAreAnsweredWhenAskedFor() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        MetadataRequestData data = named(false, "orders").setIncludeTopicAuthorizedOperations(true)
                .setIncludeClusterAuthorizedOperations(true);

        MetadataResponse withoutClusterDescribe = broker.call(metadata, data, (short) 10);
        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE).allowCluster(ALICE, AclOperation.CREATE);
        MetadataResponse withClusterDescribe = broker.call(metadata, data, (short) 10);

        assertThat(Utils.from32BitField(topic(withoutClusterDescribe, "orders").topicAuthorizedOperations()))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE.code(), AclOperation.READ.code());
        assertThat(withoutClusterDescribe.data().clusterAuthorizedOperations()).isZero();
        assertThat(Utils.from32BitField(withClusterDescribe.data().clusterAuthorizedOperations()))
                .containsExactlyInAnyOrder(AclOperation.DESCRIBE.code(), AclOperation.CREATE.code());
    }

    @Test
    void withoutAnAuthorizerEveryTopicIsListedAsBefore() {
        MetadataHandler open = new MetadataHandler(broker.broker, broker.topics, true, 1, 1, RequestAuthorization.ALLOW_ALL);

        MetadataResponse response = broker.call(open, new MetadataRequestData().setTopics(null));

        assertThat(response.data().topics()).extracting(MetadataResponseTopic::name).containsExactlyInAnyOrder("orders", "secrets");
        assertThat(response.data().clusterAuthorizedOperations()).isEqualTo(Integer.MIN_VALUE);
    }

    private static MetadataRequestData named(boolean allowAutoCreation, String... topics) {
        return new MetadataRequestData().setAllowAutoTopicCreation(allowAutoCreation).setTopics(
                java.util.Arrays.stream(topics).map(name -> new MetadataRequestTopic().setName(name)).toList());
    }

    private static MetadataResponseTopic topic(MetadataResponse response, String name) {
        return response.data().topics().stream().filter(topic -> name.equals(topic.name())).findFirst().orElseThrow();
    }
}
