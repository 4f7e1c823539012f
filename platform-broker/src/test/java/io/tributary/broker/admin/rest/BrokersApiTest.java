package io.tributary.broker.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retiring a broker through the admin API of a single node, which is the whole cluster: it cannot be
 * drained while it holds partitions (there is nowhere for them to go), nor unregistered while running.
 */
class BrokersApiTest extends AdminApiTestSupport {

    @Test
    void theOnlyBrokerCannotBeDrainedNorUnregisteredAndUnknownBrokersAreNotFound() {
        assertThat(post("/api/topics", Map.of("name", "undrainable", "partitions", 2)).status()).isEqualTo(201);

        Response refused = post("/api/brokers/0/drain", Map.of());
        assertProblem(refused, 400, "INVALID_REPLICATION_FACTOR");
        assertThat(refused.body().path("detail").asString()).contains("without broker 0");

        Response progress = get("/api/brokers/0/drain");
        assertThat(progress.status()).isEqualTo(200);
        assertThat(progress.body().path("done").asBoolean()).isFalse();
        assertThat(progress.body().path("fenced").asBoolean()).isFalse();
        assertThat(progress.body().path("remaining").findValuesAsString("topic")).contains("undrainable");

        assertProblem(delete("/api/brokers/0"), 400, "INVALID_REQUEST");
        assertProblem(delete("/api/brokers/4"), 404, "BROKER_ID_NOT_REGISTERED");
        assertProblem(post("/api/brokers/4/drain", Map.of()), 404, "BROKER_ID_NOT_REGISTERED");
        assertProblem(get("/api/brokers/4/drain"), 404, "BROKER_ID_NOT_REGISTERED");
        assertThat(get("/api/topics/undrainable").status()).isEqualTo(200);
    }
}
