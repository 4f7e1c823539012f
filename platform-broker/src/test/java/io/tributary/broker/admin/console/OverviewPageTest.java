package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.time.Duration;
import io.tributary.broker.admin.service.ClusterOverview;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OverviewPageTest extends ConsoleTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    ClusterOverview cluster;

    @Test
    void theOverviewShowsTheClusterItsPartitionsAndThisBroker() throws Exception {
        createTopic("overview.one", 3);
        createTopic("overview.two", 2);
        ClusterOverview.Overview overview = cluster.overview();

        String page = body(mvc.perform(get("/console"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(view().name("console/overview"))
                .andReturn());

        assertThat(overview.partitions().total()).isGreaterThanOrEqualTo(5);
        assertThat(page).contains("<h1>Cluster <code>" + overview.clusterId() + "</code></h1>");
        assertThat(page).contains("id=\"partitions-total\">" + overview.partitions().total() + "</span>");
        assertThat(page).contains("id=\"partitions-online\">" + overview.partitions().online() + "</span>");
        assertThat(page).contains("id=\"partitions-offline\">0</span>");
        assertThat(page).contains("<span>" + overview.partitions().topics() + "</span> topics");
        assertThat(page).contains("<span>controller, broker</span>").contains("<span class=\"tag\">this broker</span>")
                .contains(">alive</span>");
        assertThat(page).contains("<td>" + overview.brokers().get(0).host() + ":" + overview.brokers().get(0).port() + "</td>");
        assertThat(page).contains(" of logs;").contains("%</span> used)");
        assertThat(page).contains("data-src=\"/console/api/traffic?minutes=15\"");
        assertThat(page).contains("<a href=\"/console\" aria-current=\"page\" class=\"active\">Overview</a>");

        mvc.perform(get("/console/")).andExpect(status().isOk()).andExpect(view().name("console/overview"));
    }

    @Test
    void theTrafficChartShowsWhatWasProduced() throws Exception {
        createTopic("overview.traffic", 1);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>("overview.traffic", "k" + i, "some value " + i)).get();
            }
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode columns = JSON.readTree(body(mvc.perform(get("/console/api/traffic?minutes=5"))
                    .andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                    .andReturn()));
            assertThat(columns.size()).isEqualTo(5);
            int samples = columns.path("time").size();
            assertThat(samples).isPositive();
            for (String series : new String[] {"bytesIn", "bytesOut", "recordsIn", "recordsOut"}) {
                assertThat(columns.path(series).size()).as(series).isEqualTo(samples);
            }
            double recordsIn = 0;
            for (JsonNode rate : columns.path("recordsIn")) {
                recordsIn += rate.asDouble();
            }
            assertThat(recordsIn).isPositive();
            double first = columns.path("time").get(0).asDouble();
            double last = columns.path("time").get(samples - 1).asDouble();
            assertThat(last).isGreaterThanOrEqualTo(first)
                    .isBetween(System.currentTimeMillis() / 1000.0 - 300, System.currentTimeMillis() / 1000.0 + 1);
        });

        // a window is clamped to at least a minute; anything that is not a number is refused in a page
        assertThat(JSON.readTree(body(mvc.perform(get("/console/api/traffic?minutes=0")).andExpect(status().isOk())
                .andReturn())).path("time").size()).isPositive();
        MvcResult bad = mvc.perform(get("/console/api/traffic?minutes=lots")).andReturn();
        assertPageShows(bad, 400, "'lots' is not a valid minutes");

        String page = body(mvc.perform(get("/console")).andReturn());
        assertThat(page).contains("/s</span>in now");
    }
}
