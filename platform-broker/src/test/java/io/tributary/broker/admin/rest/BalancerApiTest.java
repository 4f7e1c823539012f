package io.tributary.broker.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The self-balancer's view on a single node, which has nothing to balance: off, and everything on broker 0. */
class BalancerApiTest extends AdminApiTestSupport {

    @Test
    void aSingleNodeHasNothingToBalance() {
        assertThat(post("/api/topics", Map.of("name", "balanced", "partitions", 3)).status()).isEqualTo(201);

        Response status = get("/api/cluster/balancer");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().path("enabled").asBoolean()).isFalse();
        assertThat(status.body().path("nodeId").asInt()).isZero();
        assertThat(status.body().path("controllerId").asInt()).isZero();
        assertThat(status.body().path("replicasPerBroker").path("0").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(status.body().path("replicaSpread").asInt()).isZero();
        assertThat(status.body().path("movesInFlight").isEmpty()).isTrue();
        assertThat(status.body().path("note").asString()).contains("single node");
    }
}
