package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.authorizer.Action;
import org.junit.jupiter.api.Test;

class RequestAuthorizationTest {

    private final GrantsAuthorizer authorizer = new GrantsAuthorizer();
    private final RequestAuthorization authorization = new RequestAuthorization(authorizer);
    private final RequestContext context = HandlerHarness.context(ApiKeys.PRODUCE, (short) 12, ALICE);

    @Test
    void withoutAnAuthorizerEverythingIsAllowedAndAllSupportedOperationsAreAuthorized() {
        RequestAuthorization none = RequestAuthorization.ALLOW_ALL;

        assertThat(none.isEnabled()).isFalse();
        assertThat(none.authorize(context, AclOperation.WRITE, ResourceType.TOPIC, "orders")).isTrue();
        assertThat(none.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC)).isTrue();
        assertThat(none.filter(context, AclOperation.READ, ResourceType.TOPIC, List.of("a", "b")).test("anything")).isTrue();
        assertThat(Utils.from32BitField(none.authorizedOperations(context, ResourceType.GROUP, "g")))
                .containsExactlyInAnyOrder(AclOperation.READ.code(), AclOperation.DESCRIBE.code(), AclOperation.DELETE.code(),
                        AclOperation.DESCRIBE_CONFIGS.code(), AclOperation.ALTER_CONFIGS.code());
    }

    @Test
    void filteringAsksOnceForAllTopicsCountingHowOftenEachIsReferred() {
        authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders");

        Predicate<String> writable = authorization.filter(context, AclOperation.WRITE, ResourceType.TOPIC,
                List.of("orders", "payments", "orders"), true, false);

        assertThat(writable.test("orders")).isTrue();
        assertThat(writable.test("payments")).isFalse();
        assertThat(authorizer.asked()).hasSize(1);
        List<Action> actions = authorizer.asked().get(0);
        assertThat(actions).extracting(action -> action.resourcePattern().name()).containsExactly("orders", "payments");
        assertThat(actions).extracting(Action::resourceReferenceCount).containsExactly(2, 1);
        assertThat(actions).allSatisfy(action -> {
            assertThat(action.logIfAllowed()).isTrue();
            assertThat(action.logIfDenied()).isFalse();
        });
    }

    @Test
    void aSingleCheckIsAuditedBothWaysByDefault() {
        authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, "billing");

        Action action = authorizer.asked().get(0).get(0);
        assertThat(action.logIfAllowed()).isTrue();
        assertThat(action.logIfDenied()).isTrue();
        assertThat(action.resourcePattern().resourceType()).isEqualTo(ResourceType.GROUP);
    }

    @Test
    void authorizedOperationsAreTheAllowedOnesAmongTheSupportedAsABitFieldAndAreNotAudited() {
        authorizer.allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.CLUSTER_ACTION, ResourceType.TOPIC, "orders"); // not a topic operation

        int operations = authorization.authorizedOperations(context, ResourceType.TOPIC, "orders");

        assertThat(Utils.from32BitField(operations))
                .containsExactlyInAnyOrder(AclOperation.READ.code(), AclOperation.DESCRIBE.code());
        assertThat(authorizer.asked()).hasSize(1);
        assertThat(authorizer.asked().get(0)).allSatisfy(action -> {
            assertThat(action.logIfAllowed()).isFalse();
            assertThat(action.logIfDenied()).isFalse();
        });
    }

    @Test
    void anyTopicGrantAllowsByResourceType() {
        assertThat(authorization.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC)).isFalse();

        authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders");

        assertThat(authorization.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC)).isTrue();
    }
}
